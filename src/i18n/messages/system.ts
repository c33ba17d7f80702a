import type { MessageModule } from '../index.ts';

// Durability and security: the 503 pages (database cannot take writes, server overloaded),
// password rules, and the public integrity page that anchors the audit chain's head.
const messages: MessageModule = {
  'zh-CN': {
    'error.503.title': '服务暂时不可用',
    'error.503.body': '{detail}',
    'system.unavailable.full': '服务器存储空间已满，暂时无法保存修改，您刚才提交的内容没有保存。浏览各页面不受影响。问题已记录，请稍后再试。',
    'system.unavailable.read_only': '数据库当前只能读取（例如正在维护或恢复备份），暂时无法保存修改，您刚才提交的内容没有保存。浏览各页面不受影响，请稍后再试。',
    'system.unavailable.storage': '数据库暂时无法写入，您刚才提交的内容没有保存。浏览各页面不受影响。问题已记录，请稍后再试。',
    'system.overloaded': '当前访问量过大，服务器暂时无法处理您的请求，请稍等片刻再试。',
    'system.bad_characters': '内容中含有无法保存的控制字符或无效字符（可能来自复制粘贴），请删除后再提交。',
    'validation.password_common': '这个密码太常见，很容易被猜中。请换一个，例如由几个不相关的词组成的长句。',
    'integrity.title': '记录完整性',
    'integrity.description': '审计日志哈希链的当前链头：核对本站的历史记录没有被事后改写。',
    'integrity.intro':
      '本站的每一次修改（承诺事项、进展、单位、账户……）都记入审计日志。每条日志都包含前一条的哈希值，连成一条哈希链：事后改动、删除或插入任何一条，链条都会断裂。',
    'integrity.anchor':
      '持有数据库文件的人在理论上可以重算整条链，因此链头公布在本页，并印在每份新闻发布稿上。请保存或打印本页：日后只要链中仍有与这里相同的编号和哈希值，就说明此前的历史没有被改写。',
    'integrity.head': '当前链头',
    'integrity.hash': '链头哈希（SHA-256）',
    'integrity.entry': '最新记录编号',
    'integrity.at': '最新记录时间',
    'integrity.count': '记录总数',
    'integrity.empty': '审计日志中还没有记录。',
    'integrity.timeline': '进展时间线、截止日期变更和承诺内容修改同样只能追加：数据库拒绝修改或删除已有记录，更正只能作为新的记录发布。',
    'integrity.verify': '活动办管理员可在“审计日志”页面核验整条链，运维人员可运行 npm run cli -- audit verify。',
  },
  en: {
    'error.503.title': 'Service temporarily unavailable',
    'error.503.body': '{detail}',
    'system.unavailable.full': 'The server’s storage is full, so changes cannot be saved for now: what you just submitted was not saved. Reading every page still works. The problem has been logged; please try again later.',
    'system.unavailable.read_only': 'The database is read-only at the moment (for example during maintenance or a restore), so changes cannot be saved: what you just submitted was not saved. Reading every page still works; please try again later.',
    'system.unavailable.storage': 'The database cannot take writes at the moment: what you just submitted was not saved. Reading every page still works. The problem has been logged; please try again later.',
    'system.overloaded': 'The server is handling too many requests right now. Please wait a moment and try again.',
    'system.bad_characters': 'The text contains control or invalid characters that cannot be saved (perhaps from copying and pasting); remove them and submit again.',
    'validation.password_common': 'This password is too common and easy to guess. Choose another, for example a long phrase of several unrelated words.',
    'integrity.title': 'Record integrity',
    'integrity.description': 'The current head of the audit log’s hash chain: check that this site’s history has not been rewritten.',
    'integrity.intro':
      'Every change on this site (pledges, progress, units, accounts…) is written to the audit log. Each entry carries the hash of the one before it, forming a hash chain: changing, deleting or inserting any entry afterwards breaks the chain.',
    'integrity.anchor':
      'Someone holding the database file could in theory recompute the whole chain, so its head is published on this page and printed on every press notice. Save or print this page: as long as the chain still holds an entry with the same number and hash as here, the history before it has not been rewritten.',
    'integrity.head': 'Current head',
    'integrity.hash': 'Head hash (SHA-256)',
    'integrity.entry': 'Newest entry number',
    'integrity.at': 'Newest entry time',
    'integrity.count': 'Entries in total',
    'integrity.empty': 'The audit log has no entries yet.',
    'integrity.timeline': 'Progress timelines, deadline changes and changes to a pledge’s wording are append-only too: the database refuses to change or delete a recorded entry, and a correction can only be published as a new one.',
    'integrity.verify': 'Campaign office admins can verify the whole chain on the audit log page; operators can run npm run cli -- audit verify.',
  },
};

export default messages;
