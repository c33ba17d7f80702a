import type { MessageModule } from '../index.ts';

const messages: MessageModule = {
  'zh-CN': {
    'auth.title': '工作人员登录',
    'auth.intro': '供参与单位、新闻发布和活动办工作人员使用。群众查看承诺无需登录。',
    'auth.username': '用户名',
    'auth.password': '密码',
    'auth.submit': '登录',
    'auth.failed': '用户名或密码不正确，或账户已停用。',
    'auth.throttled': '登录失败次数过多，请 15 分钟后再试。',
  },
  en: {
    'auth.title': 'Staff sign-in',
    'auth.intro': 'For staff of participating units, press desks and the campaign office. The public can follow every pledge without signing in.',
    'auth.username': 'Username',
    'auth.password': 'Password',
    'auth.submit': 'Sign in',
    'auth.failed': 'Wrong username or password, or the account is disabled.',
    'auth.throttled': 'Too many failed sign-ins. Please try again in 15 minutes.',
  },
};
export default messages;
