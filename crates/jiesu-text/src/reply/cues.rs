//! The words a reply's parts are recognised by (答复要素): what was found, what was done,
//! on what basis, whom to contact or what comes next, and the courtesies and the blame a
//! reply should or should not hold. Written by hand from how official replies are worded.

/// What was found (调查核实).
pub(crate) const FINDINGS: &[&str] = &[
    "经调查",
    "经核实",
    "经查",
    "据查",
    "调查了解",
    "核实",
    "现场查看",
    "现场勘察",
    "实地",
    "走访",
    "了解到",
    "情况属实",
    "不属实",
    "经了解",
    "查明",
];

/// What was done or will be done (处理结果).
pub(crate) const ACTIONS: &[&str] = &[
    "已经",
    "已完成",
    "已责令",
    "责令",
    "整改",
    "督促",
    "已安排",
    "安排",
    "将于",
    "预计",
    "计划",
    "完成",
    "解决",
    "已处理",
    "处理结果",
    "落实",
    "修复",
    "清理",
    "拆除",
    "维修",
    "已要求",
    "要求",
    "协调",
    "下发",
    "立案",
    "处罚",
    "约谈",
    "已联系",
    "开工",
    "完工",
];

/// On what basis (依据): laws, rules, policies, documents.
pub(crate) const BASIS: &[&str] = &[
    "《", "根据", "依据", "按照", "规定", "条例", "办法", "政策", "文件", "通知", "法律", "标准",
];

/// Whom to contact or what happens next (联系方式或后续安排).
pub(crate) const CONTACT: &[&str] = &[
    "电话",
    "联系",
    "咨询",
    "致电",
    "窗口",
    "后续",
    "下一步",
    "跟进",
    "回访",
    "如有疑问",
    "如有问题",
    "地址",
    "持续关注",
    "办理时间",
];

/// A greeting (问候).
pub(crate) const GREETING: &[&str] = &["您好", "你好", "尊敬的"];

/// Thanks (致谢).
pub(crate) const THANKS: &[&str] = &["感谢", "谢谢", "致谢"];

/// Blame put on the citizen (指责群众).
pub(crate) const BLAME: &[&str] = &[
    "无理取闹",
    "无理要求",
    "恶意",
    "捏造",
    "污蔑",
    "诬告",
    "缠访",
    "闹访",
    "责任自负",
    "后果自负",
    "请勿再",
    "不要再",
    "自己负责",
    "胡搅蛮缠",
];

/// Formulas that say nothing about the matter (套话): a reply made only of these (and the
/// appeal's own words) answers nothing.
pub(crate) const BOILERPLATE: &[&str] = &[
    "您好",
    "你好",
    "尊敬的",
    "网友",
    "来信人",
    "您的留言已收悉",
    "您的来信已收悉",
    "您的来信已收到",
    "来信收悉",
    "已收悉",
    "收悉",
    "现回复如下",
    "现将有关情况回复如下",
    "现将处理情况回复如下",
    "现将调查处理情况答复如下",
    "高度重视",
    "非常重视",
    "立即组织精干力量调查处理",
    "感谢您对我们工作的关心",
    "感谢您对我们工作的关注",
    "监督与支持",
    "感谢您的来信",
    "感谢您的理解和支持",
    "感谢",
    "谢谢",
    "针对您反映",
    "您反映的",
    "的问题",
    "问题",
    "我们",
    "相关部门",
    "正在处理",
    "正在办理",
    "将尽快处理",
    "将认真研究",
    "研究处理",
];

/// True when `text` holds one of `cues`.
pub(crate) fn holds(text: &str, cues: &[&str]) -> bool {
    cues.iter().any(|cue| text.contains(cue))
}
