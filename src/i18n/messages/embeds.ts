import type { MessageModule } from '../index.ts';

// Status widgets for other sites' iframes, and the embed code offered on pages.
const messages: MessageModule = {
  'zh-CN': {
    'embeds.source': '来自{site}，查看详情',
    'embeds.pledge.due': '完成时限：{due}',
    'embeds.pledge.completed': '完成于 {date}',
    'embeds.code.summary': '嵌入到其他网站',
    'embeds.code.hint': '把下面的代码粘贴到网页中，就能显示一个随时更新的状态小窗口。',
  },
  en: {
    'embeds.source': 'From {site}: see the details',
    'embeds.pledge.due': 'Due: {due}',
    'embeds.pledge.completed': 'completed on {date}',
    'embeds.code.summary': 'Embed on another site',
    'embeds.code.hint': 'Paste this code into a web page to show a small status box that stays up to date.',
  },
};
export default messages;
