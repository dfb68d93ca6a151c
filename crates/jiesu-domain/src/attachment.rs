//! Attachments (附件): photos of the site (现场照片) and documents (证明材料) that come with an
//! appeal, a reply, and later a task's progress report. What a file is comes from its first
//! bytes, never from its name or the MIME type a client sent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::user::Actor;

/// The kinds of file jiesu keeps, told by their content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

impl FileKind {
    /// What the content is, from its first bytes; `None` for anything else.
    pub fn sniff(content: &[u8]) -> Option<FileKind> {
        match content {
            [0xFF, 0xD8, 0xFF, ..] => Some(FileKind::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(FileKind::Png),
            [
                b'R',
                b'I',
                b'F',
                b'F',
                _,
                _,
                _,
                _,
                b'W',
                b'E',
                b'B',
                b'P',
                ..,
            ] => Some(FileKind::Webp),
            [b'%', b'P', b'D', b'F', b'-', ..] => Some(FileKind::Pdf),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Webp => "image/webp",
            FileKind::Pdf => "application/pdf",
        }
    }

    pub fn from_content_type(text: &str) -> Option<FileKind> {
        [FileKind::Jpeg, FileKind::Png, FileKind::Webp, FileKind::Pdf]
            .into_iter()
            .find(|k| k.content_type() == text)
    }

    pub fn is_image(self) -> bool {
        self != FileKind::Pdf
    }
}

/// What an attachment belongs to (所属): the kind of owner and its id. An appeal's own files
/// and a reply's files both name the appeal (a reply's also the event it came with); a task's
/// progress report will name the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerKind {
    Appeal,
    Reply,
}

impl OwnerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::Appeal => "appeal",
            OwnerKind::Reply => "reply",
        }
    }

    pub fn parse(text: &str) -> Option<OwnerKind> {
        match text {
            "appeal" => Some(OwnerKind::Appeal),
            "reply" => Some(OwnerKind::Reply),
            _ => None,
        }
    }

    /// The owner's name for people.
    pub fn label(self) -> &'static str {
        match self {
            OwnerKind::Appeal => "诉求材料",
            OwnerKind::Reply => "答复材料",
        }
    }
}

/// How many files an item may carry and how large each may be (附件限制).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttachmentLimits {
    pub max_bytes: usize,
    pub max_files: usize,
}

impl Default for AttachmentLimits {
    fn default() -> Self {
        AttachmentLimits {
            max_bytes: 10 * 1024 * 1024,
            max_files: 9,
        }
    }
}

impl AttachmentLimits {
    /// Checks one item's files, given as (name, content): their number, each one's size
    /// and kind. Returns each file's kind; the error names the file and the limit.
    pub fn check<'a>(
        &self,
        files: impl ExactSizeIterator<Item = (&'a str, &'a [u8])>,
    ) -> Result<Vec<FileKind>, DomainError> {
        let invalid = |reason: String| DomainError::InvalidField {
            field: "files",
            reason,
        };
        if files.len() > self.max_files {
            return Err(invalid(format!(
                "附件最多 {} 个，收到 {} 个",
                self.max_files,
                files.len()
            )));
        }
        files
            .map(|(name, content)| {
                if content.is_empty() {
                    return Err(invalid(format!("附件「{name}」是空文件")));
                }
                if content.len() > self.max_bytes {
                    return Err(invalid(format!(
                        "附件「{name}」大小 {}，超过单个文件上限 {}",
                        size_label(content.len()),
                        size_label(self.max_bytes)
                    )));
                }
                FileKind::sniff(content).ok_or_else(|| {
                    invalid(format!(
                        "附件「{name}」不是 JPEG、PNG、WebP 图片或 PDF 文件"
                    ))
                })
            })
            .collect()
    }
}

/// A size for people: "512 KB", "2.5 MB".
pub fn size_label(bytes: usize) -> String {
    const MB: usize = 1024 * 1024;
    if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// A file's name as kept: its last path segment, without control characters, at most 100
/// characters; "附件" when nothing is left.
pub fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(100)
        .collect();
    match cleaned.trim() {
        "" => "附件".into(),
        name => name.into(),
    }
}

/// An attachment to record with its owner, its bytes already stored under `storage_key`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAttachment {
    pub name: String,
    pub kind: FileKind,
    pub size: i64,
    /// sha256 of the content, hex.
    pub sha256: String,
    pub storage_key: String,
    /// The stored thumbnail (images only).
    pub thumbnail_key: Option<String>,
    pub by: Actor,
    pub at: DateTime<Utc>,
}

/// An attachment as kept (附件).
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub id: i64,
    pub owner_kind: OwnerKind,
    pub owner_id: i64,
    /// The event the file came with (the registration, a reply).
    pub event_seq: Option<i64>,
    pub file: NewAttachment,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_content() {
        assert_eq!(
            FileKind::sniff(b"\xFF\xD8\xFF\xE0rest"),
            Some(FileKind::Jpeg)
        );
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(FileKind::Png)
        );
        assert_eq!(
            FileKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(FileKind::Webp)
        );
        assert_eq!(FileKind::sniff(b"%PDF-1.7"), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(b"<html>"), None);
        assert_eq!(FileKind::sniff(b""), None);
    }

    #[test]
    fn limits_name_the_file() {
        let limits = AttachmentLimits {
            max_bytes: 8,
            max_files: 2,
        };
        let big: &[u8] = b"%PDF-1.7 and more";
        let err = limits.check([("报告.pdf", big)].into_iter()).unwrap_err();
        assert!(err.to_string().contains("报告.pdf"), "{err}");
        let exe: &[u8] = b"MZ\x90\0";
        let err = limits.check([("照片.jpg", exe)].into_iter()).unwrap_err();
        assert!(err.to_string().contains("照片.jpg"), "{err}");
        let ok: &[u8] = b"%PDF-1.";
        let err = limits
            .check([("a", ok), ("b", ok), ("c", ok)].into_iter())
            .unwrap_err();
        assert!(err.to_string().contains("最多 2 个"), "{err}");
        assert_eq!(
            limits.check([("a", ok)].into_iter()).unwrap(),
            vec![FileKind::Pdf]
        );
    }

    #[test]
    fn names_lose_paths_and_controls() {
        assert_eq!(clean_name("C:\\照片\\现场.jpg"), "现场.jpg");
        assert_eq!(clean_name("../a\n.pdf"), "a.pdf");
        assert_eq!(clean_name(""), "附件");
    }
}
