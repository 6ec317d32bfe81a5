//! The tenant's users as a group's page names them: members by display name and e-mail, and the
//! users who can still be added.

use proto::User;
use uuid::Uuid;

use crate::components::sort_by_text;

/// A user as listed in a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: Uuid,
    /// The display name, or the e-mail when there is none.
    pub name: String,
    /// The e-mail; `None` for a member missing from the list of users that was read.
    pub email: Option<String>,
}

impl Person {
    fn of(user: &User) -> Self {
        let display_name = user.display_name.trim();
        Self {
            id: user.id,
            name: if display_name.is_empty() {
                user.email.clone()
            } else {
                display_name.to_owned()
            },
            email: Some(user.email.clone()),
        }
    }

    /// One line for a list or a choice: "Alex Doe (alex@x.test)", or the e-mail alone.
    pub fn line(&self) -> String {
        match &self.email {
            Some(email) if *email != self.name => format!("{} ({email})", self.name),
            _ => self.name.clone(),
        }
    }
}

/// The members of a group, in the group's order, named from `users`.
pub fn members(member_ids: &[Uuid], users: &[User]) -> Vec<Person> {
    member_ids
        .iter()
        .map(|id| {
            users
                .iter()
                .find(|user| user.id == *id)
                .map_or_else(|| unknown(*id), Person::of)
        })
        .collect()
}

fn unknown(id: Uuid) -> Person {
    Person {
        id,
        name: format!("User {id}"),
        email: None,
    }
}

/// The users who are not yet members, by name: the choices of "Add member".
pub fn candidates(member_ids: &[Uuid], users: &[User]) -> Vec<Person> {
    let mut people: Vec<Person> = users
        .iter()
        .filter(|user| !member_ids.contains(&user.id))
        .map(Person::of)
        .collect();
    sort_by_text(&mut people, |person| person.line().to_lowercase());
    people
}

/// "1 member", "3 members".
pub fn member_count(count: usize) -> String {
    match count {
        1 => "1 member".to_owned(),
        _ => format!("{count} members"),
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use proto::{Role, UserSource};

    use super::*;

    fn user(id: u128, email: &str, display_name: &str) -> User {
        User {
            id: Uuid::from_u128(id),
            email: email.to_owned(),
            display_name: display_name.to_owned(),
            role: Role::Technician,
            claims: Vec::new(),
            use_mfa: false,
            allow_ui_access: true,
            active: true,
            source: UserSource::Local,
            mfa_enrolled: false,
            invitation_pending: false,
            last_sign_in_at: None,
            created_at: DateTime::UNIX_EPOCH,
            external_id: None,
            provisioned_at: None,
        }
    }

    #[test]
    fn members_are_named_by_display_name_and_e_mail_in_the_groups_order() {
        let (alex, bo) = (user(2, "alex@x.test", "Alex"), user(3, "bo@x.test", " "));
        let gone = Uuid::from_u128(1);
        let named = members(&[bo.id, alex.id, gone], &[alex.clone(), bo.clone()]);
        let lines: Vec<String> = named.iter().map(Person::line).collect();
        assert_eq!(lines[..2], ["bo@x.test", "Alex (alex@x.test)"]);
        assert_eq!(named[2].email, None);
        assert!(lines[2].contains(&gone.to_string()));
    }

    #[test]
    fn only_users_who_are_not_members_are_offered_by_name() {
        let users = [
            user(4, "zed@x.test", ""),
            user(5, "alex@x.test", "Alex"),
            user(6, "bo@x.test", "Bo"),
        ];
        let offered = candidates(&[users[2].id], &users);
        let lines: Vec<String> = offered.iter().map(Person::line).collect();
        assert_eq!(lines, ["Alex (alex@x.test)", "zed@x.test"]);
    }

    #[test]
    fn counts_read_as_words() {
        assert_eq!(member_count(0), "0 members");
        assert_eq!(member_count(1), "1 member");
        assert_eq!(member_count(12), "12 members");
    }
}
