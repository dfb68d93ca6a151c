//! Attachments on pages (附件): the list an appeal page and the tracking page show —
//! thumbnails for images, an icon and the name for PDFs, each linking to its download.

use jiesu_domain::attachment::{Attachment, size_label};

use crate::api::attachments::AttachmentView;
use crate::tracking::PublicAttachment;

/// One file as a page shows it (`attachments.html`).
pub struct AttachmentItem {
    pub name: String,
    /// 诉求材料 or 答复材料, and the size.
    pub meta: String,
    pub url: String,
    pub thumbnail_url: Option<String>,
}

impl AttachmentItem {
    /// A file on a staff page, served by the staff routes.
    pub fn staff(a: &Attachment) -> AttachmentItem {
        let view = AttachmentView::of(a);
        AttachmentItem {
            name: view.name,
            meta: format!(
                "{} · {}",
                a.owner_kind.label(),
                size_label(a.file.size as usize)
            ),
            url: view.url,
            thumbnail_url: view.thumbnail_url,
        }
    }

    /// A file of a citizen's own appeal on the tracking page.
    pub fn citizen(a: &PublicAttachment) -> AttachmentItem {
        AttachmentItem {
            name: a.name.clone(),
            meta: size_label(a.size as usize),
            url: a.url.clone(),
            thumbnail_url: a.thumbnail_url.clone(),
        }
    }
}
