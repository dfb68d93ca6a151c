//! The index schema and the one place where an [`Appeal`] becomes a document.
//!
//! | field | kind | used for |
//! | --- | --- | --- |
//! | `id` | u64, indexed, fast, stored | upserts (delete by term), hit ids |
//! | `number` | raw string, stored | search by the phone-readable number |
//! | `title` `text` | jieba text with positions, stored | ranking (title boosted), snippets |
//! | `address` `reply` | jieba text with positions | ranking (district, street, address; last reply) |
//! | `created` | i64 millis, indexed, fast | date-range filters, newest-first order, recency |
//! | `status` | raw string (status code) | status filter, duplicate check |
//! | `lead_body` | i64 | the lead body (主办) |
//! | `body` | i64, multi-valued | lead and co-bodies (协办): the body filter |
//! | `category` | raw string | first category level |
//! | `district` `channel` `type` | raw string | filters, duplicate check boost |

use jiesu_domain::appeal::Appeal;
use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::error::SearchError;
use crate::tokenizer::TOKENIZER_NAME;

/// Bumped whenever the schema or the tokenizer changes; an index built with another version
/// is discarded and rebuilt from the source.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// The fields of the jiesu index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub number: Field,
    pub title: Field,
    pub text: Field,
    pub address: Field,
    pub reply: Field,
    pub created: Field,
    pub status: Field,
    pub lead_body: Field,
    pub body: Field,
    pub category: Field,
    pub district: Field,
    pub channel: Field,
    pub appeal_type: Field,
}

/// The fast field holding the creation time in milliseconds.
pub(crate) const CREATED: &str = "created";
/// The fast field holding the appeal id.
pub(crate) const ID: &str = "id";

impl Fields {
    /// Builds the schema and names its fields.
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let words = |stored: bool| {
            let options = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(TOKENIZER_NAME)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            );
            if stored {
                options.set_stored()
            } else {
                options
            }
        };
        let fields = Fields {
            id: b.add_u64_field(ID, INDEXED | FAST | STORED),
            number: b.add_text_field("number", STRING | STORED),
            title: b.add_text_field("title", words(true)),
            text: b.add_text_field("text", words(true)),
            address: b.add_text_field("address", words(false)),
            reply: b.add_text_field("reply", words(false)),
            created: b.add_i64_field(CREATED, INDEXED | FAST),
            status: b.add_text_field("status", STRING),
            lead_body: b.add_i64_field("lead_body", INDEXED),
            body: b.add_i64_field("body", INDEXED),
            category: b.add_text_field("category", STRING),
            district: b.add_text_field("district", STRING),
            channel: b.add_text_field("channel", STRING),
            appeal_type: b.add_text_field("type", STRING),
        };
        (b.build(), fields)
    }

    /// The ranked text fields and their boosts.
    pub fn ranked(&self) -> [(Field, f32); 4] {
        [
            (self.title, 2.0),
            (self.text, 1.0),
            (self.address, 1.0),
            (self.reply, 0.5),
        ]
    }

    /// The index document for `appeal`: every indexed value of an appeal comes from here.
    pub fn document(&self, appeal: &Appeal) -> Result<TantivyDocument, SearchError> {
        let mut doc = TantivyDocument::new();
        doc.add_u64(self.id, appeal_key(appeal.id.0)?);
        doc.add_text(self.number, &appeal.number.0);
        doc.add_text(self.title, &appeal.title);
        doc.add_text(self.text, &appeal.text);
        let place = &appeal.place;
        let address: Vec<&str> = [place.district.as_deref(), place.street.as_deref()]
            .into_iter()
            .flatten()
            .chain(std::iter::once(place.address.as_str()))
            .filter(|s| !s.is_empty())
            .collect();
        doc.add_text(self.address, address.join(" "));
        if let Some(reply) = &appeal.last_reply {
            doc.add_text(self.reply, reply);
        }
        doc.add_i64(self.created, appeal.created_at.timestamp_millis());
        doc.add_text(self.status, appeal.status.code());
        if let Some(lead) = appeal.lead_body {
            doc.add_i64(self.lead_body, lead.0);
        }
        for body in appeal.bodies() {
            doc.add_i64(self.body, body.0);
        }
        if let Some(category) = &appeal.category {
            doc.add_text(self.category, category.first());
        }
        if let Some(district) = &place.district {
            doc.add_text(self.district, district);
        }
        doc.add_text(self.channel, appeal.channel.label());
        doc.add_text(self.appeal_type, appeal.appeal_type.label());
        Ok(doc)
    }
}

/// The index key of an appeal id (ids are positive database ids).
pub(crate) fn appeal_key(id: i64) -> Result<u64, SearchError> {
    u64::try_from(id).map_err(|_| SearchError::InvalidId(id))
}
