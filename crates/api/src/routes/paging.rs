use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    error::{ApiError, RequestError},
    services::{customers::CustomerSearch, paging::PageRequest},
};

/// The last page a listing serves. Its offset (at most 100 per page) stays far inside the
/// database's signed 64-bit range; a larger page made the paginator's arithmetic overflow.
const MAX_PAGE: u64 = 1_000_000;

/// A search longer than any name, date or number it could match.
const MAX_SEARCH_CHARS: usize = 200;

/// `GET /api/v1/customers?q=&page=&per_page=`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// One search box: a case-insensitive part of the name or the customer type, a created date
    /// as `YYYY-MM-DD`, or a number of active licences, total licences or churn score. At most
    /// 200 characters.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// 1-based page number (default 1), at most 1 000 000.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<u64>,
    /// Items per page, 1–100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u64>,
}

impl TryFrom<&SearchQuery> for CustomerSearch {
    type Error = ApiError;

    fn try_from(query: &SearchQuery) -> Result<Self, ApiError> {
        check_search_length(query.q.as_deref())?;
        Ok(Self {
            text: query.q.clone(),
            page: PageRequest::try_from(&PageQuery {
                page: query.page,
                per_page: query.per_page,
            })?,
        })
    }
}

/// A search box's `q`: at most 200 characters (422 otherwise).
pub fn check_search_length(q: Option<&str>) -> Result<(), ApiError> {
    if q.is_some_and(|q| q.chars().count() > MAX_SEARCH_CHARS) {
        return Err(ApiError::field(
            "q",
            "too_long",
            format!("a search is at most {MAX_SEARCH_CHARS} characters"),
        ));
    }
    Ok(())
}

/// `?page=&per_page=` on every listing.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// 1-based page number (default 1), at most 1 000 000.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<u64>,
    /// Items per page, 1–100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u64>,
}

impl TryFrom<&PageQuery> for PageRequest {
    type Error = ApiError;

    fn try_from(query: &PageQuery) -> Result<Self, Self::Error> {
        let page = query.page.unwrap_or(1);
        let size = query.per_page.unwrap_or(25);
        let mut errors = Vec::new();
        if !(1..=MAX_PAGE).contains(&page) {
            errors.push(proto::FieldError::new(
                "page",
                "out_of_range",
                format!("pages are numbered from 1 to {MAX_PAGE}"),
            ));
        }
        if !(1..=100).contains(&size) {
            errors.push(proto::FieldError::new(
                "per_page",
                "out_of_range",
                "per_page must be between 1 and 100",
            ));
        }
        if errors.is_empty() {
            Ok(Self {
                index: page - 1,
                size,
            })
        } else {
            Err(RequestError::Validation(errors).into())
        }
    }
}
