import type { MessageModule } from '../index.ts';

// The public category page.
const messages: MessageModule = {
  'zh-CN': {
    'category.description': '“{name}”类承诺事项的完成情况：状态分布、每月到期与完成、各区县完成比例。',
    'category.in_campaign': '活动：{campaign}',
    'category.figures': '本类别总体情况',
    'category.see_pledges': '查看本类别的 {count} 项承诺事项',
    'category.charts_link': '查看本类别的图表',
  },
  en: {
    'category.description': 'How pledges about {name} are going: by status, due and completed each month, and completion by district.',
    'category.in_campaign': 'Campaign: {campaign}',
    'category.figures': 'This category at a glance',
    'category.see_pledges': 'See the {count} pledges in this category',
    'category.charts_link': 'Charts for this category',
  },
};
export default messages;
