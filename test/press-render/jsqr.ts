// jsqr is CommonJS with `exports.default`; under tsx the default import is already the function,
// while TypeScript (NodeNext) types it as the module object. One place resolves both.
import jsqrModule from 'jsqr';

type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const mod = jsqrModule as unknown as Decode | { default: Decode };
export const decodeQr: Decode = typeof mod === 'function' ? mod : mod.default;
