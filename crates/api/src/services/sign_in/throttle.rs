//! Sign-in throttling: failed attempts are counted per account and per source address in the
//! database (so every replica sees them), and a key that fails too often is locked for a while
//! that doubles with each further failure.

use chrono::{DateTime, Duration, Utc};
use entity::login_throttle;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait,
    QuerySelect, TransactionTrait, sea_query::OnConflict,
};

use super::SignInError;

#[derive(Debug, Clone)]
pub struct ThrottlePolicy {
    pub account_max_failures: i32,
    pub address_max_failures: i32,
    pub window: Duration,
    pub first_lock: Duration,
    pub longest_lock: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            account_max_failures: 5,
            address_max_failures: 100,
            window: Duration::minutes(15),
            first_lock: Duration::seconds(30),
            longest_lock: Duration::minutes(15),
        }
    }
}

/// One thing that is throttled: an account or a source address.
#[derive(Debug, Clone)]
pub struct ThrottleKey {
    key: String,
    max_failures: i32,
}

impl ThrottlePolicy {
    pub fn account(&self, email: &str) -> ThrottleKey {
        ThrottleKey {
            key: format!("account:{}", email.trim().to_lowercase()),
            max_failures: self.account_max_failures,
        }
    }

    pub fn address(&self, ip: &str) -> ThrottleKey {
        ThrottleKey {
            key: format!("address:{ip}"),
            max_failures: self.address_max_failures,
        }
    }

    fn lock_after(&self, failures: i32, max_failures: i32) -> Option<Duration> {
        let over = u32::try_from(failures.checked_sub(max_failures)?).ok()?;
        let doublings = over.min(16);
        let lock = self.first_lock * 2i32.pow(doublings);
        Some(lock.min(self.longest_lock))
    }

    /// Refuses with 429 while any of `keys` is locked.
    pub async fn check(
        &self,
        db: &DatabaseConnection,
        keys: &[ThrottleKey],
    ) -> Result<(), SignInError> {
        let now = Utc::now();
        for key in keys {
            let locked_until = login_throttle::Entity::find_by_id(key.key.clone())
                .one(db)
                .await?
                .and_then(|row| row.locked_until);
            if let Some(until) = locked_until.filter(|until| *until > now) {
                return Err(too_many_attempts(until, now));
            }
        }
        Ok(())
    }

    pub async fn record_failure(
        &self,
        db: &DatabaseConnection,
        key: &ThrottleKey,
    ) -> Result<(), SignInError> {
        // Two first failures at once can both try to insert; the loser counts again as an update.
        match self.try_record_failure(db, key, false).await {
            Ok(()) => Ok(()),
            Err(_) => self.try_record_failure(db, key, false).await,
        }
    }

    /// Counts an attempt as a failure before its password is checked (a success clears it),
    /// refusing with 429 while `key` is locked. Attempts racing each other are counted one by
    /// one, so no more than the limit get past the lock and reach the costly hash.
    pub async fn admit(
        &self,
        db: &DatabaseConnection,
        key: &ThrottleKey,
    ) -> Result<(), SignInError> {
        match self.try_record_failure(db, key, true).await {
            Err(locked @ SignInError::TooManyAttempts { .. }) => Err(locked),
            Err(_) => self.try_record_failure(db, key, true).await,
            Ok(()) => Ok(()),
        }
    }

    async fn try_record_failure(
        &self,
        db: &DatabaseConnection,
        key: &ThrottleKey,
        refuse_while_locked: bool,
    ) -> Result<(), SignInError> {
        let now = Utc::now();
        // The row exists before it is locked, so racing first attempts queue on the row lock
        // instead of failing on a duplicate key.
        let blank = login_throttle::ActiveModel {
            key: Set(key.key.clone()),
            failures: Set(0),
            window_started_at: Set(now),
            locked_until: Set(None),
        };
        login_throttle::Entity::insert(blank)
            .on_conflict(
                OnConflict::column(login_throttle::Column::Key)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
        let transaction = db.begin().await?;
        let existing = login_throttle::Entity::find_by_id(key.key.clone())
            .lock_exclusive()
            .one(&transaction)
            .await?;
        let locked_until = existing.as_ref().and_then(|row| row.locked_until);
        if let Some(until) = locked_until.filter(|until| refuse_while_locked && *until > now) {
            return Err(too_many_attempts(until, now));
        }
        let (failures, window_started_at) = match &existing {
            Some(row) if now - row.window_started_at < self.window => {
                (row.failures.saturating_add(1), row.window_started_at)
            }
            _ => (1, now),
        };
        let locked_until = self
            .lock_after(failures, key.max_failures)
            .map(|lock| now + lock);
        let row = login_throttle::ActiveModel {
            key: Set(key.key.clone()),
            failures: Set(failures),
            window_started_at: Set(window_started_at),
            locked_until: Set(locked_until),
        };
        match existing {
            Some(_) => row.update(&transaction).await.map(drop)?,
            // A success cleared the row after the blank was inserted, and another attempt may be
            // inserting it again this moment: the later write wins instead of a duplicate key
            // failing the sign-in (seen as a 500 with 24 racing sign-ins on PostgreSQL).
            None => {
                login_throttle::Entity::insert(row)
                    .on_conflict(
                        OnConflict::column(login_throttle::Column::Key)
                            .update_columns([
                                login_throttle::Column::Failures,
                                login_throttle::Column::WindowStartedAt,
                                login_throttle::Column::LockedUntil,
                            ])
                            .to_owned(),
                    )
                    .exec_without_returning(&transaction)
                    .await?;
            }
        }
        transaction.commit().await?;
        Ok(())
    }

    pub async fn clear(
        &self,
        db: &impl ConnectionTrait,
        key: &ThrottleKey,
    ) -> Result<(), SignInError> {
        login_throttle::Entity::delete_by_id(key.key.clone())
            .exec(db)
            .await?;
        Ok(())
    }
}

fn too_many_attempts(until: DateTime<Utc>, now: DateTime<Utc>) -> SignInError {
    let millis = (until - now).num_milliseconds().max(0);
    let retry_after_secs = u64::try_from(millis).unwrap_or(0).div_ceil(1000).max(1);
    SignInError::TooManyAttempts { retry_after_secs }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_starts_at_the_limit_and_doubles_up_to_the_longest() {
        let policy = ThrottlePolicy::default();
        assert_eq!(policy.lock_after(4, 5), None);
        assert_eq!(policy.lock_after(5, 5), Some(Duration::seconds(30)));
        assert_eq!(policy.lock_after(6, 5), Some(Duration::seconds(60)));
        assert_eq!(policy.lock_after(7, 5), Some(Duration::seconds(120)));
        assert_eq!(policy.lock_after(40, 5), Some(Duration::minutes(15)));
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let now = Utc::now();
        let error = too_many_attempts(now + Duration::milliseconds(1500), now);
        assert!(matches!(
            error,
            SignInError::TooManyAttempts {
                retry_after_secs: 2
            }
        ));
    }
}
