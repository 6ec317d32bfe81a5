//! Technicians as a real MSP's Entra directory holds them: given and family names drawn from
//! word lists with common names far more often than rare ones (a few accented, hyphenated or
//! with a particle; a third of the family names composed, so that most are rare), UPNs
//! `first.last@contoso-it.com` folded to ASCII with a digit appended for a name already taken
//! (`first.last2@…`), random object IDs, and about one admin in twenty. The names are
//! deterministic, so that runs compare; the object IDs are random GUIDs, as Entra's are.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

/// The tenant's verified domain, the part of every UPN after the `@`.
pub const DOMAIN: &str = "contoso-it.com";

/// Given names, the most common first (the draw favours the head of the list).
const GIVEN_NAMES: &[&str] = &[
    "James",
    "Michael",
    "David",
    "John",
    "Daniel",
    "Sarah",
    "Chris",
    "Thomas",
    "Emma",
    "Robert",
    "Laura",
    "Mark",
    "Anna",
    "Paul",
    "Andrew",
    "Jessica",
    "Matthew",
    "Peter",
    "Emily",
    "Richard",
    "Lisa",
    "Kevin",
    "Steven",
    "Jennifer",
    "Brian",
    "Sophie",
    "Martin",
    "Julia",
    "Alex",
    "Maria",
    "Ryan",
    "Rachel",
    "Jason",
    "Hannah",
    "Simon",
    "Katie",
    "Adam",
    "Nicole",
    "Ben",
    "Claire",
    "Tom",
    "Lucy",
    "Sam",
    "Charlotte",
    "Luke",
    "Amy",
    "Jonathan",
    "Rebecca",
    "Eric",
    "Megan",
    "Nathan",
    "Olivia",
    "Patrick",
    "Victoria",
    "Stefan",
    "Natalie",
    "Jan",
    "Eva",
    "Lukas",
    "Katarina",
    "Florian",
    "Sandra",
    "Tobias",
    "Nina",
    "Markus",
    "Petra",
    "Sebastian",
    "Ines",
    "Carlos",
    "Lucia",
    "Javier",
    "Elena",
    "Marco",
    "Giulia",
    "Luca",
    "Francesca",
    "Pierre",
    "Camille",
    "Nicolas",
    "Manon",
    "Hugo",
    "Léa",
    "François",
    "Chloé",
    "José",
    "Inés",
    "Björn",
    "Søren",
    "Zoë",
    "Jürgen",
    "Mélanie",
    "Renée",
    "Łukasz",
    "Agnieszka",
    "Piotr",
    "Katarzyna",
    "Tomasz",
    "Magdalena",
    "Pieter",
    "Anouk",
    "Joost",
    "Sanne",
    "Lars",
    "Ingrid",
    "Mikael",
    "Astrid",
    "Henrik",
    "Freya",
    "Raj",
    "Priya",
    "Arjun",
    "Ananya",
    "Vikram",
    "Deepa",
    "Rahul",
    "Sunita",
    "Wei",
    "Mei",
    "Jun",
    "Li",
    "Hiroshi",
    "Yuki",
    "Kenji",
    "Aiko",
    "Omar",
    "Fatima",
    "Ahmed",
    "Layla",
    "Yusuf",
    "Aisha",
    "Mehmet",
    "Elif",
    "Kwame",
    "Amara",
    "Chidi",
    "Ngozi",
    "Liam",
    "Aoife",
    "Seán",
    "Niamh",
    "Callum",
    "Isla",
    "Rhys",
    "Cerys",
    "Dmitri",
    "Olga",
    "Ivan",
    "Svetlana",
    "Andrei",
    "Ioana",
    "Gabriel",
    "Beatriz",
    "João",
    "Mariana",
    "Diego",
    "Valentina",
    "Mateo",
    "Camila",
    "Kai",
    "Maya",
    "Noah",
    "Ava",
    "Ethan",
    "Mia",
    "Oscar",
    "Ruby",
    "Felix",
    "Ella",
    "Max",
    "Leah",
    "Theo",
    "Grace",
    "Jake",
    "Holly",
    "Dean",
    "Joanne",
    "Gary",
    "Tracey",
    "Wayne",
    "Donna",
    "Stuart",
    "Gemma",
    "Graham",
    "Alison",
    "Neil",
    "Fiona",
    "Craig",
    "Kirsty",
    "Colin",
    "Heather",
    "Barry",
    "Shona",
];

/// Family names, the most common first.
const FAMILY_NAMES: &[&str] = &[
    "Smith",
    "Jones",
    "Williams",
    "Brown",
    "Taylor",
    "Johnson",
    "Miller",
    "Wilson",
    "Davies",
    "Evans",
    "Müller",
    "Schmidt",
    "Martin",
    "García",
    "Anderson",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Thompson",
    "White",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Harris",
    "Lewis",
    "Clarke",
    "Jackson",
    "Patel",
    "Khan",
    "Singh",
    "Nguyen",
    "Kim",
    "Chen",
    "Wang",
    "Li",
    "Zhang",
    "Kumar",
    "Sharma",
    "Shah",
    "Ali",
    "Hussain",
    "Ahmed",
    "Rodríguez",
    "Martínez",
    "López",
    "González",
    "Pérez",
    "Sánchez",
    "Fernández",
    "Núñez",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "De Luca",
    "Bernard",
    "Dubois",
    "Durand",
    "Lefèvre",
    "Moreau",
    "Laurent",
    "Fontaine",
    "Weber",
    "Schneider",
    "Fischer",
    "Meyer",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Zimmermann",
    "Krüger",
    "Hartmann",
    "Lange",
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Sørensen",
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsen",
    "Berg",
    "Haugen",
    "Virtanen",
    "Korhonen",
    "O'Brien",
    "O'Connor",
    "Murphy",
    "Kelly",
    "Byrne",
    "Ryan",
    "Walsh",
    "McCarthy",
    "MacDonald",
    "Campbell",
    "Stewart",
    "Robertson",
    "Murray",
    "Fraser",
    "Morgan",
    "Price",
    "Bennett",
    "Cooper",
    "Turner",
    "Parker",
    "Collins",
    "Cook",
    "Morris",
    "Rogers",
    "Reed",
    "Bailey",
    "Bell",
    "Ward",
    "Watson",
    "Brooks",
    "Gray",
    "James",
    "Mitchell",
    "Carter",
    "Phillips",
    "Young",
    "King",
    "Scott",
    "Baker",
    "Adams",
    "Hill",
    "Moore",
    "Allen",
    "Lee",
    "Harrison",
    "Hunt",
    "Knight",
    "Mason",
    "Webb",
    "Fox",
    "Holmes",
    "Palmer",
    "Ellis",
    "Shaw",
    "Lloyd",
    "Pearce",
    "Gonçalves",
    "Silva",
    "Santos",
    "Ferreira",
    "Oliveira",
    "Costa",
    "Ivanov",
    "Petrov",
    "Popescu",
    "Novák",
    "Horváth",
    "Nagy",
    "Yılmaz",
    "Kaya",
    "Demir",
    "Tanaka",
    "Suzuki",
    "Sato",
    "Watanabe",
    "Okafor",
    "Mensah",
    "Adeyemi",
    "Haddad",
    "Nasser",
    "Cohen",
    "Levi",
    "Friedman",
    "Goldberg",
    "Kaur",
    "Reddy",
    "Iyer",
    "Menon",
    "Das",
    "Bose",
    "Tran",
    "Pham",
    "Le",
    "Huang",
    "Liu",
    "Yang",
    "Zhao",
    "Wu",
    "Park",
    "Choi",
    "Ashworth",
    "Kingsley",
    "Holbury",
    "Whitfield",
    "Pemberton",
    "Fairclough",
    "Lockwood",
    "Thornton",
    "Blackwood",
    "Underhill",
];

/// Beginnings and endings of English family names ("Ashworth", "Holbury"), composed for about a
/// third of the people so that most family names are rare, as in a real directory.
const FAMILY_STARTS: &[&str] = &[
    "Ash", "Black", "Brad", "Brook", "Church", "Cole", "Craw", "Dun", "Elling", "Fair", "Farn",
    "Gar", "Hal", "Har", "Hart", "Hol", "Holl", "King", "Lang", "Lock", "Mar", "Mid", "New",
    "North", "Pem", "Rad", "Ring", "Shel", "South", "Stan", "Thorn", "Wake", "West", "Whit",
    "Wind", "Wood", "Ather", "Bram", "Carl", "Dray", "Edge", "Fen", "Glad", "Hap", "Ken",
];
const FAMILY_ENDS: &[&str] = &[
    "worth", "ley", "ton", "ford", "field", "wood", "by", "ham", "well", "brook", "stone", "more",
    "dale", "croft", "hurst", "wick", "combe", "bury", "shaw", "ridge",
];

/// One technician as Entra provisions them.
#[derive(Debug, Clone)]
pub struct Person {
    pub given_name: String,
    pub family_name: String,
    pub display_name: String,
    /// `userName`: the UPN, lower case.
    pub user_principal_name: String,
    /// `externalId`: the Entra object ID.
    pub object_id: String,
    /// The app role assigned: `Technician`, or about one in twenty `Admin`.
    pub app_role: &'static str,
}

impl Person {
    /// The body Entra's provisioning service posts to `/Users` to create this person.
    pub fn entra_create_body(&self) -> serde_json::Value {
        serde_json::json!({
            "schemas": [
                "urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
            ],
            "externalId": self.object_id,
            "userName": self.user_principal_name,
            "active": true,
            "displayName": self.display_name,
            "emails": [{"primary": true, "type": "work", "value": self.user_principal_name}],
            "meta": {"resourceType": "User"},
            "name": {
                "formatted": self.display_name,
                "familyName": self.family_name,
                "givenName": self.given_name
            },
            "roles": [{
                "primary": true,
                "type": "WindowsAzureActiveDirectoryRole",
                "value": self.app_role
            }]
        })
    }
}

/// The random source: the customer names' deterministic generator.
type Draw = super::names::NameGenerator;

/// `name` as it appears in a UPN: lower case, accents folded to ASCII, no spaces or apostrophes.
fn upn_part(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.to_lowercase().chars() {
        let plain = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
            'æ' => "ae",
            'ç' | 'ć' => "c",
            'è' | 'é' | 'ê' | 'ë' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ı' => "i",
            'ñ' | 'ń' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
            'ù' | 'ú' | 'û' | 'ü' => "u",
            'ý' | 'ÿ' => "y",
            'ł' => "l",
            'ś' | 'ş' => "s",
            'ź' | 'ż' => "z",
            'ğ' => "g",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() || c == '-' => {
                folded.push(c);
                continue;
            }
            _ => continue,
        };
        folded.push_str(plain);
    }
    folded
}

/// `count` technicians with distinct UPNs: the second "James Smith" is `james.smith2@…`.
pub fn technicians(seed: u64, count: usize) -> Vec<Person> {
    let mut draw = Draw::new(seed);
    let mut taken: HashMap<String, u32> = HashMap::new();
    let mut people = Vec::with_capacity(count);
    for _ in 0..count {
        let given_name = draw.skewed(GIVEN_NAMES).to_owned();
        let mut family_name = if draw.below(3) == 0 {
            let start = FAMILY_STARTS[draw.below(FAMILY_STARTS.len())];
            format!("{start}{}", FAMILY_ENDS[draw.below(FAMILY_ENDS.len())])
        } else {
            draw.skewed(FAMILY_NAMES).to_owned()
        };
        // A few double-barrelled family names ("Smith-Jones").
        if draw.below(40) == 0 {
            family_name = format!("{family_name}-{}", draw.skewed(FAMILY_NAMES));
        }
        let display_name = format!("{given_name} {family_name}");
        let local = format!("{}.{}", upn_part(&given_name), upn_part(&family_name));
        let seen = taken.entry(local.clone()).or_insert(0);
        *seen += 1;
        let user_principal_name = if *seen == 1 {
            format!("{local}@{DOMAIN}")
        } else {
            format!("{local}{seen}@{DOMAIN}")
        };
        let app_role = if draw.below(20) == 0 {
            "Admin"
        } else {
            "Technician"
        };
        people.push(Person {
            given_name,
            family_name,
            display_name,
            user_principal_name,
            object_id: Uuid::new_v4().to_string(),
            app_role,
        });
    }
    people
}

/// How varied `people` are: distinct given and family names, UPNs with a digit, admins.
pub fn describe(people: &[Person]) -> String {
    let given: HashSet<&str> = people.iter().map(|p| p.given_name.as_str()).collect();
    let family: HashSet<&str> = people.iter().map(|p| p.family_name.as_str()).collect();
    let numbered = people
        .iter()
        .filter(|p| {
            p.user_principal_name
                .split('@')
                .next()
                .is_some_and(|local| local.ends_with(|c: char| c.is_ascii_digit()))
        })
        .count();
    let admins = people.iter().filter(|p| p.app_role == "Admin").count();
    format!(
        "{} distinct given names, {} distinct family names, {numbered} UPNs with a digit for a repeated name, {admins} admins",
        given.len(),
        family.len()
    )
}
