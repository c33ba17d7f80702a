// The QR code printed on post cards and window posters: it opens the unit's page at its rating
// form. Built from PUBLIC_URL (never the Host header): a printed card outlives any request.
import QRCode from 'qrcode';

export function ratingUrl(publicUrl: string, slug: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/units/${encodeURIComponent(slug)}#rating`;
}

/** An inline SVG QR code of `text`, labelled for screen readers. */
export async function qrSvg(text: string, label: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  const safeLabel = label.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return svg.replace('<svg ', `<svg role="img" aria-label="${safeLabel}" class="qr" `);
}
