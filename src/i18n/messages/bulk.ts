import type { MessageModule } from '../index.ts';

const messages: MessageModule = {
  'zh-CN': {},
  en: {},
};
export default messages;
