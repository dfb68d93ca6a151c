//! Word segmentation (分词) with jieba-rs. The default dictionary is loaded once per process;
//! a [`Segmenter`] may add the city's own words (place names, category names) on top.

use jieba_rs::Jieba;
use std::sync::{Arc, OnceLock};

use crate::normalize::is_punctuation;

/// A jieba segmenter, cheap to clone (the dictionary is shared).
#[derive(Clone)]
pub struct Segmenter {
    jieba: Arc<Jieba>,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter").finish_non_exhaustive()
    }
}

/// jieba with its default dictionary, loaded once per process and shared by every default
/// [`Segmenter`] and by place extraction.
pub(crate) fn default_jieba() -> &'static Arc<Jieba> {
    static SHARED: OnceLock<Arc<Jieba>> = OnceLock::new();
    SHARED.get_or_init(|| Arc::new(Jieba::new()))
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter {
            jieba: default_jieba().clone(),
        }
    }
}

impl Segmenter {
    /// A segmenter that also knows `words` (e.g. estates, roads and bodies of the city).
    pub fn with_user_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        let mut jieba = Jieba::new();
        for word in words {
            let word = word.trim();
            if !word.is_empty() {
                jieba.add_word(word, Some(2000), None);
            }
        }
        Segmenter {
            jieba: Arc::new(jieba),
        }
    }

    /// The words of `text` (already normalized), without whitespace and punctuation tokens.
    pub fn words<'t>(&self, text: &'t str) -> Vec<&'t str> {
        self.jieba
            .cut(text, true)
            .into_iter()
            .map(|t| t.word)
            .filter(|w| w.chars().any(|c| !c.is_whitespace() && !is_punctuation(c)))
            .collect()
    }

    /// Fine-grained words for a search index: long words are also split into their parts.
    pub fn search_words<'t>(&self, text: &'t str) -> Vec<&'t str> {
        self.jieba
            .cut_for_search(text, true)
            .into_iter()
            .map(|t| t.word)
            .filter(|w| w.chars().any(|c| !c.is_whitespace() && !is_punctuation(c)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_chinese_and_drops_punctuation() {
        let seg = Segmenter::default();
        let words = seg.words("小区门口路灯不亮，请尽快维修。");
        assert!(words.contains(&"维修"), "{words:?}");
        assert!(!words.iter().any(|w| *w == "，" || *w == "。"));
    }

    #[test]
    fn user_words_stay_whole() {
        let seg = Segmenter::with_user_words(["翠湖苑小区"]);
        assert!(seg.words("翠湖苑小区停水三天").contains(&"翠湖苑小区"));
    }
}
