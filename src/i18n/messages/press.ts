import type { MessageModule } from '../index.ts';

// The press desk's page.
const messages: MessageModule = {
  'zh-CN': {
    'press.title': '新闻发布',
    'press.intro': '“{campaign}”已公开的承诺事项。点击事项或单位查看公开页面。',
    'press.exports_later': '生成报纸公告、电视字幕和广播稿的功能即将上线；目前可以查阅全部已公开事项。',
    'press.no_campaign': '目前没有活动。',
    'press.none': '没有符合条件的已公开事项。',
    'press.pledge': '承诺事项',
    'press.unit': '牵头单位',
    'press.due': '截止日期',
    'press.status': '状态',
    'press.bad_filter': '筛选条件无效。',
  },
  en: {
    'press.title': 'Press desk',
    'press.intro': 'The published pledges of “{campaign}”. Follow a pledge or a unit to its public page.',
    'press.exports_later': 'Building newspaper notices, TV captions and radio scripts is coming soon; for now you can read every published pledge.',
    'press.no_campaign': 'There is no campaign at the moment.',
    'press.none': 'No published pledges match.',
    'press.pledge': 'Pledge',
    'press.unit': 'Lead unit',
    'press.due': 'Due',
    'press.status': 'Status',
    'press.bad_filter': 'The filter is not valid.',
  },
};
export default messages;
