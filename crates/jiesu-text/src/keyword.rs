//! Key words (关键词): the words of an appeal worth showing to people and comparing between
//! appeals — hot issues group by them, and a dispatch suggestion names them as its reasons.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Words worth showing or comparing: two characters or more, not a number, not an anonymized code,
/// not a word every appeal uses.
pub fn is_keyword(word: &str) -> bool {
    static STOP_SET: OnceLock<HashSet<&str>> = OnceLock::new();
    const STOP: &[&str] = &[
        "问题",
        "反映",
        "投诉",
        "咨询",
        "希望",
        "要求",
        "请求",
        "相关",
        "部门",
        "解决",
        "情况",
        "领导",
        "政府",
        "市民",
        "我们",
        "你们",
        "他们",
        "现在",
        "没有",
        "已经",
        "因为",
        "所以",
        "但是",
        "可以",
        "这个",
        "那个",
        "什么",
        "怎么",
        "为什么",
        "如何",
        "是否",
        "一个",
        "进行",
        "目前",
        "本人",
        "您好",
        "你好",
        "尊敬",
        "谢谢",
        "感谢",
        "非常",
        "严重",
        "请问",
        "关于",
        "建议",
        "举报",
        "能否",
        "不能",
        "这样",
        "这些",
        "那些",
        "而且",
        "并且",
        "还是",
        "或者",
        "自己",
        "大家",
        "一直",
        "时候",
        "时间",
        "今年",
        "去年",
        "以来",
        "以上",
        "以下",
        "之后",
        "之前",
        "其中",
        "如果",
        "虽然",
        "只是",
        "就是",
        "还有",
        "需要",
        "应该",
        "不是",
        "处理",
    ];
    let count = word.chars().count();
    if count < 2
        || STOP_SET
            .get_or_init(|| STOP.iter().copied().collect())
            .contains(word)
    {
        return false;
    }
    if word.chars().all(|c| c.is_ascii_alphanumeric())
        && (count <= 3 || word.chars().any(|c| c.is_ascii_digit()))
    {
        return false; // 2019, a3, k9: numbers and codes
    }
    word.chars().any(|c| c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::is_keyword;

    #[test]
    fn single_characters_numbers_and_common_words_are_not_key_words() {
        for w in ["人", "的", "问题", "2019", "a3"] {
            assert!(!is_keyword(w), "{w}");
        }
        for w in ["噪音", "供暖", "物业"] {
            assert!(is_keyword(w), "{w}");
        }
    }
}
