//! A refused form (填写有误) shown again: everything typed kept, the message beside the field
//! it is about, worded with the form's own labels — never the API's field paths.

use jiesu_app::AppError;
use jiesu_domain::DomainError;
use jiesu_store::StoreError;

use super::PageError;

/// A problem with what was typed: the form field it is about (empty: the whole form) and
/// what to do about it.
#[derive(Debug, Clone, Default)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// The intake fields as the API names them, with their form name and label.
const FIELDS: &[(&str, &str, &str)] = &[
    ("title", "title", "标题"),
    ("text", "text", "诉求内容"),
    ("type", "type", "诉求类型"),
    ("urgency", "urgency", "紧急程度"),
    ("channel", "channel", "来源渠道"),
    ("category", "category", "诉求分类"),
    ("citizen.name", "name", "姓名"),
    ("citizen.phone", "phone", "联系电话"),
    ("citizen.email", "email", "电子邮箱"),
    ("point_id", "point", "涉及便民点位"),
    ("place.district", "district", "区县"),
    ("place.street", "street", "街道乡镇"),
    ("place.address", "address", "详细地址"),
    ("place", "address", "事发地点"),
];

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> FieldError {
        FieldError {
            field,
            message: message.into(),
        }
    }

    /// The message of an intake that was refused, placed at the field it is about; `None`
    /// when the refusal is not about what was typed (then the error page is right).
    pub fn of_intake(e: &AppError) -> Option<FieldError> {
        match e {
            AppError::Domain(DomainError::InvalidField { field, reason }) => {
                let (name, label) = FIELDS
                    .iter()
                    .find(|(api, _, _)| api == field)
                    .map(|(_, name, label)| (*name, *label))?;
                let message = if reason == "不能为空" {
                    format!("请填写{label}。")
                } else if reason.starts_with("未知取值") {
                    format!("请从列表中选择{label}。")
                } else if reason.starts_with("未知分类") {
                    "该分类不在分类目录中，请从列表中选择。".to_string()
                } else {
                    format!("{label}：{reason}。")
                };
                Some(FieldError::new(name, message))
            }
            AppError::Store(StoreError::KeyReused) => Some(FieldError::new(
                "",
                "这张表单已经提交过。请重新打开页面填写新的诉求。",
            )),
            _ => None,
        }
    }
}

/// What an admin form shows above itself when what was typed is refused: the reason, in the
/// form's words. Any other error is no fault of the form and goes to the error page.
pub fn refusal(e: AppError) -> Result<String, PageError> {
    match e {
        AppError::Domain(DomainError::InvalidField { reason, .. }) => Ok(format!("{reason}。")),
        other => Err(other.into()),
    }
}

/// The errors of a form, looked up by field from its template.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(pub Vec<FieldError>);

impl FormErrors {
    pub fn one(e: FieldError) -> FormErrors {
        FormErrors(vec![e])
    }

    /// The message beside `field` (`""`: the message about the whole form).
    pub fn at(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid(field: &'static str, reason: &str) -> AppError {
        AppError::Domain(DomainError::InvalidField {
            field,
            reason: reason.into(),
        })
    }

    #[test]
    fn field_paths_become_the_forms_words() {
        let e = FieldError::of_intake(&invalid("citizen.phone", "电话号码格式不正确")).unwrap();
        assert_eq!(e.field, "phone");
        assert_eq!(e.message, "联系电话：电话号码格式不正确。");
        let e = FieldError::of_intake(&invalid("type", "未知取值「」")).unwrap();
        assert_eq!(e.field, "type");
        assert_eq!(e.message, "请从列表中选择诉求类型。");
        let e = FieldError::of_intake(&invalid("title", "不能为空")).unwrap();
        assert_eq!(e.message, "请填写标题。");
        assert!(FieldError::of_intake(&AppError::Changed).is_none());
    }

    #[test]
    fn an_admin_form_is_told_the_reason_and_other_errors_go_to_the_error_page() {
        let told = refusal(invalid(
            "target_precision",
            "目标准确率须在 0.5 与 0.999 之间",
        ));
        assert_eq!(told.unwrap(), "目标准确率须在 0.5 与 0.999 之间。");
        let page = refusal(AppError::Store(StoreError::NotFound("模型"))).unwrap_err();
        assert_eq!(page.status, axum::http::StatusCode::NOT_FOUND);
    }
}
