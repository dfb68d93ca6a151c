//! Smart dispatch as the server runs it (智能派单): the active classifier, the place found
//! in the text against the bodies' areas, and the admins' routing table, combined into one
//! suggestion — category, body, confidence, the words that weighed most, and whether the
//! appeal must go to the manual queue.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use arc_swap::ArcSwap;
use jiesu_domain::body::{Body, BodyKind};
use jiesu_domain::ids::BodyId;
use jiesu_domain::routing::RoutingTable;
use jiesu_text::dispatch::{Adaptation, DispatchModel, SuggestError, Suggestion};
use jiesu_text::place::{Gazetteer, GazetteerEntry, PlaceKind};
use serde::Serialize;

/// Below this confidence a suggestion goes to the manual queue (人工派单), unless configured.
pub const DEFAULT_MANUAL_THRESHOLD: f32 = 0.6;

/// The loaded model and its stored version.
#[derive(Clone)]
pub struct ActiveModel {
    pub version: i64,
    pub model: Arc<DispatchModel>,
    /// What the model learned since training from the labelled examples (学习样本),
    /// replaced as they come ([`crate::App::learn`]).
    pub adaptation: Arc<ArcSwap<Adaptation>>,
    /// The revision of the examples (`LearningExamples::revision`) the adaptation was
    /// learned from; 0, as the examples before their first read, when nothing was learned.
    pub learned_from: Arc<AtomicU64>,
}

impl ActiveModel {
    /// A model as trained, nothing learned since.
    pub fn new(version: i64, model: Arc<DispatchModel>) -> ActiveModel {
        ActiveModel {
            version,
            model,
            adaptation: Arc::default(),
            learned_from: Arc::default(),
        }
    }

    /// The model's suggestion with what it learned since training.
    pub fn suggest(&self, title: &str, text: &str) -> Result<Suggestion, SuggestError> {
        self.adaptation.load().suggest(&self.model, title, text)
    }
}

/// Everything a suggestion needs, rebuilt whole when the model, the bodies or the routing
/// table change.
pub struct Assistant {
    model: Option<ActiveModel>,
    gazetteer: Gazetteer,
    /// Area name → the body that answers for it (street offices for their streets and
    /// estates, district governments for their districts).
    areas: HashMap<String, BodyId>,
    names: HashMap<String, BodyId>,
    routing: RoutingTable,
    threshold: f32,
}

/// A body the suggestion names, and why.
#[derive(Debug, Clone, Serialize)]
pub struct SuggestedBody {
    pub id: BodyId,
    pub name: String,
    /// `routing` (the admins' table), `model` (learned from history) or `area` (the body
    /// that answers for the place named).
    pub source: &'static str,
}

/// What smart dispatch suggests for a text (派单建议).
#[derive(Debug, Clone, Serialize)]
pub struct DispatchSuggestion {
    /// First-level categories with calibrated probabilities, best first (up to 3).
    pub categories: Vec<(String, f32)>,
    /// How sure the model is that the first category is right (0 without one): what the
    /// manual-queue and automatic-dispatch thresholds are compared with.
    pub confidence: f32,
    /// Lower levels where the history has them.
    pub lower_levels: Vec<(String, f32)>,
    pub body: Option<SuggestedBody>,
    /// The place found in the text and address.
    pub place: String,
    /// The words that weighed most.
    pub words: Vec<(String, f32)>,
    /// True when the appeal should go to the manual queue; `reason` says why.
    pub manual: bool,
    pub reason: Option<String>,
    pub model_version: Option<i64>,
    /// The text was cut at the model's limit.
    pub truncated: bool,
}

impl Assistant {
    pub fn new(
        model: Option<ActiveModel>,
        bodies: &[Body],
        routing: RoutingTable,
        threshold: f32,
    ) -> Assistant {
        let mut entries: Vec<GazetteerEntry> = Vec::new();
        let mut areas = HashMap::new();
        let district_of: HashMap<BodyId, String> = bodies
            .iter()
            .filter(|b| b.kind == BodyKind::District)
            .filter_map(|b| b.areas.first().map(|a| (b.id, a.clone())))
            .collect();
        for body in bodies {
            for (i, area) in body.areas.iter().enumerate() {
                if areas.contains_key(area) {
                    continue; // the first body to claim an area keeps it
                }
                let kind = match (body.kind, i) {
                    (BodyKind::District, 0) => PlaceKind::District,
                    (BodyKind::City, 0) => PlaceKind::City,
                    (BodyKind::Street, 0) => PlaceKind::Street,
                    _ => PlaceKind::Other,
                };
                let mut entry = GazetteerEntry::new(area.clone(), kind);
                if body.kind == BodyKind::Street
                    && let Some(district) = body.parent.and_then(|p| district_of.get(&p))
                    && district != area
                {
                    entry = entry.with_parent(district.clone());
                }
                entries.push(entry);
                areas.insert(area.clone(), body.id);
            }
        }
        // Parents must exist: keep only entries whose parent is known.
        let known: std::collections::HashSet<String> =
            entries.iter().map(|e| e.name.clone()).collect();
        entries.retain(|e| e.parent.as_ref().is_none_or(|p| known.contains(p)));
        let gazetteer = Gazetteer::new(entries).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "gazetteer could not be built from the bodies' areas");
            Gazetteer::empty()
        });
        Assistant {
            model,
            gazetteer,
            areas,
            names: bodies.iter().map(|b| (b.name.clone(), b.id)).collect(),
            routing,
            threshold,
        }
    }

    pub fn model_version(&self) -> Option<i64> {
        self.model.as_ref().map(|m| m.version)
    }

    pub fn model(&self) -> Option<&ActiveModel> {
        self.model.as_ref()
    }

    fn body_name(&self, id: BodyId) -> String {
        self.names
            .iter()
            .find(|(_, b)| **b == id)
            .map(|(n, _)| n.clone())
            .unwrap_or_default()
    }

    /// Suggests category and body for a draft; never fails — an empty text or a missing
    /// model gives a manual-queue answer with the reason.
    pub fn suggest(&self, title: &str, text: &str, address: &str) -> DispatchSuggestion {
        let mut out = DispatchSuggestion {
            categories: vec![],
            confidence: 0.0,
            lower_levels: vec![],
            body: None,
            place: String::new(),
            words: vec![],
            manual: true,
            reason: None,
            model_version: self.model_version(),
            truncated: false,
        };
        let mention = self.gazetteer.extract(&format!("{address} {title} {text}"));
        out.place = mention.display();
        let mut reasons = Vec::new();
        match &self.model {
            None => reasons.push("尚未训练派单模型".to_string()),
            Some(active) => match active.suggest(title, text) {
                Ok(s) => {
                    out.categories = s.top;
                    out.confidence = s.confidence;
                    out.lower_levels = s.lower_levels;
                    out.words = s.explanation;
                    out.truncated = s.truncated;
                    if let Some((name, _)) = &s.body
                        && let Some(id) = self.names.get(name)
                    {
                        out.body = Some(SuggestedBody {
                            id: *id,
                            name: name.clone(),
                            source: "model",
                        });
                    }
                    if let Some(note) = s.note {
                        reasons.push(note);
                    }
                }
                Err(e) => reasons.push(e.to_string()),
            },
        }
        let category = out.categories.first().map(|c| c.0.as_str());
        let places: Vec<&str> = [mention.street.as_deref(), mention.district.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let routed = self.routing.route(category, &places);
        if let Some(id) = routed {
            out.body = Some(SuggestedBody {
                id,
                name: self.body_name(id),
                source: "routing",
            });
        } else if out.body.is_none() {
            let local = mention
                .spans
                .iter()
                .rev()
                .find_map(|span| self.areas.get(&span.name))
                .or_else(|| places.iter().find_map(|p| self.areas.get(*p)));
            if let Some(id) = local {
                out.body = Some(SuggestedBody {
                    id: *id,
                    name: self.body_name(*id),
                    source: "area",
                });
            }
        }
        if out.confidence < self.threshold && !out.categories.is_empty() {
            reasons.push(format!(
                "分类置信度 {:.0}% 低于阈值 {:.0}%",
                out.confidence * 100.0,
                self.threshold * 100.0
            ));
        }
        if out.body.is_none() {
            reasons.push("未能确定承办单位".into());
        }
        out.manual = !reasons.is_empty();
        out.reason = (!reasons.is_empty()).then(|| reasons.join("；"));
        out
    }
}
