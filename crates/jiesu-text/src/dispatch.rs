//! Smart dispatch classifier (智能派单). Being written.
