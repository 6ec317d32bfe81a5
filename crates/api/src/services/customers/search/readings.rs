//! What the one search box of SPEC §6 can mean: a part of the name or the customer type, a
//! created date, or one of the three numbers.

use crate::services::storage::escape_like;
use chrono::NaiveDate;
use entity::customer;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, SimpleExpr};

use entity::customer::CustomerType;

/// The readings of a search that narrows the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Readings {
    /// Trimmed and lower-cased, as `name_key` is stored.
    needle: String,
    is_date: bool,
    number: Option<i32>,
}

impl Readings {
    /// `None` when the search matches every customer: blank, or a part of the one customer type.
    pub fn parse(q: &str) -> Option<Self> {
        let needle = q.trim().to_lowercase();
        if needle.is_empty()
            || CustomerType::Corporate
                .label()
                .to_lowercase()
                .contains(&needle)
        {
            return None;
        }
        Some(Self {
            is_date: NaiveDate::parse_from_str(&needle, "%Y-%m-%d").is_ok(),
            number: needle.parse::<i32>().ok(),
            needle,
        })
    }

    /// The FTS5 phrase that finds names containing the needle, when it is long enough for a
    /// trigram index (three characters or more).
    pub fn trigram_phrase(&self) -> Option<String> {
        (self.needle.chars().count() >= 3)
            .then(|| format!("\"{}\"", self.needle.replace('"', "\"\"")))
    }

    /// The needle when it is one or two characters: too short for a trigram index, so it is
    /// looked up among the names' one- and two-character parts.
    pub fn short_part(&self) -> Option<&str> {
        (self.needle.chars().count() <= 2).then_some(self.needle.as_str())
    }

    /// The needle when it is three characters or fewer: short enough to be in most names, so
    /// PostgreSQL keeps a count of the names holding it instead of counting them at each search.
    pub fn counted_part(&self) -> Option<&str> {
        (self.needle.chars().count() <= 3).then_some(self.needle.as_str())
    }

    /// The name part as a pattern, checked entry by entry on an ordered walk of the name index.
    pub fn name_pattern(&self) -> SimpleExpr {
        Expr::col((customer::Entity, customer::Column::NameKey))
            .like(LikeExpr::new(format!("%{}%", escape_like(&self.needle))).escape('\\'))
    }

    /// The readings other than the name part, each an equality on an indexed column.
    pub fn exact_conditions(&self) -> Vec<SimpleExpr> {
        let mut conditions = Vec::new();
        if self.is_date {
            conditions.push(
                Expr::col((customer::Entity, customer::Column::CreatedDate))
                    .eq(self.needle.clone()),
            );
        }
        if let Some(number) = self.number {
            for column in [
                customer::Column::ActiveLicenses,
                customer::Column::TotalLicenses,
                customer::Column::ChurnScore,
            ] {
                conditions.push(Expr::col((customer::Entity, column)).eq(number));
            }
        }
        conditions
    }

    /// The columns of `customers` that [`Readings::any`] reads: a walk selects only these.
    pub fn columns(&self) -> Vec<customer::Column> {
        let mut columns = vec![customer::Column::NameKey];
        if self.is_date {
            columns.push(customer::Column::CreatedDate);
        }
        if self.number.is_some() {
            columns.extend([
                customer::Column::ActiveLicenses,
                customer::Column::TotalLicenses,
                customer::Column::ChurnScore,
            ]);
        }
        columns
    }

    /// Every reading in one condition, for checking rows one at a time.
    pub fn any(&self) -> SimpleExpr {
        self.exact_conditions()
            .into_iter()
            .fold(self.name_pattern(), SimpleExpr::or)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_in_a_search_are_taken_literally() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
    }

    #[test]
    fn a_part_of_the_customer_type_or_a_blank_search_matches_everyone() {
        assert_eq!(Readings::parse("corp"), None);
        assert_eq!(Readings::parse(" Corporate "), None);
        assert_eq!(Readings::parse("  "), None);
    }

    #[test]
    fn a_search_is_read_as_every_field_it_could_mean() {
        let count = |q: &str| Readings::parse(q).map(|readings| readings.exact_conditions().len());
        assert_eq!(count("Contoso"), Some(0));
        assert_eq!(count("2026-11-23"), Some(1));
        assert_eq!(count("37"), Some(3));
    }

    #[test]
    fn a_walk_reads_the_columns_of_every_reading_and_no_more() {
        let columns = |q: &str| Readings::parse(q).map(|readings| readings.columns().len());
        assert_eq!(columns("Contoso"), Some(1));
        assert_eq!(columns("2026-11-23"), Some(2));
        assert_eq!(columns("37"), Some(4));
    }

    #[test]
    fn only_needles_of_three_characters_or_more_use_the_trigram_index() {
        let phrase = |q: &str| Readings::parse(q).and_then(|readings| readings.trigram_phrase());
        assert_eq!(phrase("37"), None);
        assert_eq!(phrase("Den"), Some("\"den\"".to_owned()));
        assert_eq!(phrase("a\"b"), Some("\"a\"\"b\"".to_owned()));
        let short = |q: &str| {
            Readings::parse(q).and_then(|readings| readings.short_part().map(str::to_owned))
        };
        assert_eq!(short("37"), Some("37".to_owned()));
        assert_eq!(short("É"), Some("é".to_owned()));
        assert_eq!(short("Den"), None);
        let counted = |q: &str| {
            Readings::parse(q).and_then(|readings| readings.counted_part().map(str::to_owned))
        };
        assert_eq!(counted("Ltd"), Some("ltd".to_owned()));
        assert_eq!(counted("Łód"), Some("łód".to_owned()));
        assert_eq!(counted("Dent"), None);
    }
}
