//! Company names that look like a real MSP's customer list: several thousand distinct words,
//! common words far more often than rare ones, a legal form on most names, a few accented
//! names, and no prefix that every name shares. Deterministic, so that runs compare.

/// Places and qualities that open many company names.
const PLACES: &[&str] = &[
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "Coastal",
    "Highland",
    "Valley",
    "Riverside",
    "Lakeside",
    "Harbour",
    "Summit",
    "Pinnacle",
    "Metro",
    "Capital",
    "Pacific",
    "Atlantic",
    "Midland",
    "Royal",
    "Premier",
    "United",
    "National",
    "Global",
    "Regional",
    "Oakridge",
    "Maple",
    "Cedar",
    "Willow",
    "Silver",
    "Golden",
    "Blue",
    "Green",
    "Red",
    "Evergreen",
    "Granite",
    "Ironwood",
    "Redwood",
    "Bayside",
    "Hillside",
    "Meadow",
    "Prairie",
    "Canyon",
    "Frontier",
    "Heritage",
    "Liberty",
    "Patriot",
    "Crown",
    "Sterling",
    "Apex",
    "Vertex",
    "Prime",
    "First",
    "Allied",
    "Advanced",
    "Modern",
    "Classic",
    "Urban",
    "Rural",
    "County",
    "City",
    "Island",
    "Bridgeport",
    "Kingston",
    "Ashford",
    "Brighton",
    "Cambridge",
    "Oxford",
    "Bristol",
    "Dover",
    "Chester",
    "Lancaster",
    "Windsor",
    "Richmond",
    "Hampton",
    "Clifton",
    "Fairview",
    "Greenfield",
    "Springfield",
    "Westbrook",
    "Northgate",
    "Southbank",
    "Eastwood",
    "Westfield",
    "Stonebridge",
    "Clearwater",
    "Whitewater",
    "Blackstone",
    "Redhill",
    "Greystone",
    "Fox Valley",
    "Bear Creek",
    "Eagle",
    "Falcon",
    "Hawk",
    "Phoenix",
    "Lion",
    "Tiger",
    "Wolf",
    "Orion",
    "Polaris",
    "Aurora",
    "Horizon",
    "Sunrise",
    "Sunset",
    "Twin Oaks",
    "Three Rivers",
    "Seven Hills",
    "Nordic",
    "Alpine",
    "Baltic",
    "Celtic",
    "Iberian",
    "Lombard",
    "Rhine",
    "Danube",
    "Thames",
    "Mersey",
    "Severn",
    "Tyne",
    "Avon",
    "Hudson",
    "Potomac",
    "Sierra",
    "Cascade",
    "Rocky Mountain",
    "Great Lakes",
    "Gulf",
    "Pioneer",
    "Keystone",
    "Cornerstone",
    "Landmark",
    "Benchmark",
    "Milestone",
    "Trinity",
    "Unity",
    "Harmony",
    "Integrity",
    "Precision",
    "Quality",
    "Reliable",
    "Rapid",
    "Swift",
    "Bright",
    "Clear",
    "Smart",
    "True",
    "Noble",
    "Grand",
    "Little",
    "Old Town",
];

/// What the companies do, the second word of many names; the words every customer list is full
/// of come first, and are drawn most often.
const TRADES: &[&str] = &[
    "Services",
    "Solutions",
    "Group",
    "Consulting",
    "Systems",
    "Technologies",
    "Holdings",
    "Partners",
    "Associates",
    "Enterprises",
    "Construction",
    "Dental",
    "Medical",
    "Health",
    "Care",
    "Clinic",
    "Pharmacy",
    "Veterinary",
    "Physiotherapy",
    "Optometry",
    "Chiropractic",
    "Law",
    "Legal",
    "Accounting",
    "Tax",
    "Finance",
    "Insurance",
    "Mortgage",
    "Wealth",
    "Capital",
    "Investments",
    "Realty",
    "Property",
    "Estates",
    "Homes",
    "Builders",
    "Roofing",
    "Plumbing",
    "Electrical",
    "Heating",
    "Mechanical",
    "Engineering",
    "Architects",
    "Design",
    "Interiors",
    "Landscaping",
    "Gardens",
    "Nursery",
    "Farms",
    "Dairy",
    "Bakery",
    "Brewing",
    "Distillery",
    "Vineyards",
    "Foods",
    "Catering",
    "Restaurant",
    "Hospitality",
    "Hotels",
    "Travel",
    "Logistics",
    "Freight",
    "Transport",
    "Haulage",
    "Couriers",
    "Motors",
    "Automotive",
    "Garage",
    "Marine",
    "Aviation",
    "Energy",
    "Solar",
    "Power",
    "Utilities",
    "Water",
    "Environmental",
    "Recycling",
    "Cleaning",
    "Facilities",
    "Security",
    "Technology",
    "Tech",
    "Software",
    "Networks",
    "Data",
    "Digital",
    "Media",
    "Marketing",
    "Advertising",
    "Printing",
    "Publishing",
    "Studio",
    "Photography",
    "Films",
    "Music",
    "Arts",
    "Education",
    "Academy",
    "School",
    "Training",
    "Consultants",
    "Industries",
    "Manufacturing",
    "Fabrication",
    "Metals",
    "Plastics",
    "Textiles",
    "Furniture",
    "Supplies",
    "Distribution",
    "Wholesale",
    "Trading",
    "Imports",
    "Retail",
    "Outfitters",
    "Apparel",
    "Jewellers",
    "Florists",
    "Pets",
    "Fitness",
    "Sports",
    "Leisure",
    "Events",
    "Recruitment",
    "Staffing",
    "Support",
    "Maintenance",
    "Repairs",
    "Labs",
    "Research",
    "Analytics",
    "Dynamics",
    "Innovations",
    "Ventures",
    "Craft",
    "Works",
    "Trust",
    "Foundation",
    "Charity",
    "Church",
    "Council",
    "Association",
    "Society",
    "Club",
    "Cooperative",
    "Mining",
    "Quarry",
    "Timber",
    "Forestry",
    "Agriculture",
    "Equestrian",
    "Kennels",
    "Optical",
    "Hearing",
    "Dermatology",
    "Orthodontics",
    "Pediatrics",
    "Radiology",
    "Surgical",
    "Diagnostics",
    "Biotech",
    "Pharma",
    "Chemicals",
    "Coatings",
    "Glass",
    "Tiles",
    "Flooring",
    "Kitchens",
    "Windows",
    "Doors",
    "Scaffolding",
    "Demolition",
    "Surveying",
    "Planning",
    "Storage",
    "Removals",
    "Packaging",
    "Labels",
    "Signs",
    "Telecom",
    "Wireless",
    "Cabling",
    "Audio Visual",
];

/// Halves of surname-like words ("Ashworth", "Kingsley"): their products give thousands of
/// distinct words, as family and place names do in a real customer list.
const SURNAME_STARTS: &[&str] = &[
    "Ash", "Brook", "Hart", "Kings", "Oak", "Rad", "Wel", "Thorn", "Brad", "Carl", "Dun", "Elm",
    "Fair", "Gold", "Hay", "Hol", "Lang", "Mar", "Nor", "Pem", "Ray", "Stan", "Tal", "Wyn",
    "Black", "White", "Green", "Hamp", "Ches", "Wor", "Bur", "Cal", "Dor", "Ever", "Fen", "Glen",
    "Har", "Iver", "Kel", "Lin", "Mor", "Nel", "Ox", "Pres", "Rut", "Shel", "Trent", "Ux", "Wake",
    "York", "Ald", "Bel", "Craw", "Dal", "Eding", "Farn", "Gren", "Hux", "Ing", "Kirk", "Lock",
    "Mid", "New", "Ols", "Pen", "Quen", "Ros", "Sut", "Tod", "Up", "Vin", "Wal", "Yar", "Zell",
    "Ab", "Bran", "Cop", "Dray", "Eas", "Fol", "Gar", "Hens", "Jar", "Kess",
];
const SURNAME_ENDS: &[&str] = &[
    "worth", "ley", "field", "wood", "ford", "ton", "well", "by", "dale", "gate", "more", "ham",
    "bury", "stead", "wick", "shaw", "croft", "mere", "brook", "son", "man", "ridge", "hurst",
    "combe", "low", "thorpe", "den", "ville", "mont", "berg",
];

/// Made-up brand names ("Datavista", "Cloudlogic").
const BRAND_STARTS: &[&str] = &[
    "Data", "Net", "Cloud", "Info", "Cyber", "Sys", "Soft", "Opti", "Ever", "Omni", "Nova", "Veri",
    "Intel", "Logi", "Quant", "Syn", "Zen", "Astra", "Lumi", "Terra", "Aqua", "Bio", "Medi", "Fin",
    "Tele", "Pro", "Ultra", "Hyper", "Neo", "Octa",
];
const BRAND_ENDS: &[&str] = &[
    "vista", "logic", "wave", "sphere", "point", "works", "core", "link", "path", "bridge", "flow",
    "stream", "scape", "matic", "tronic", "gen", "ify", "ora", "ix", "ium", "era", "nova", "pulse",
    "shift", "stack", "forge", "grid", "nest", "spark", "trail",
];

const GIVEN_NAMES: &[&str] = &[
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Susan",
    "Richard",
    "Sarah",
    "Thomas",
    "Karen",
    "Daniel",
    "Emma",
    "Oliver",
    "Sophie",
    "Lukas",
    "Hannah",
    "Mateo",
    "Lucia",
    "Pieter",
    "Anouk",
    "Lars",
    "Ingrid",
];

/// Names from other languages, with the letters they need.
const ACCENTED: &[&str] = &[
    "Müller Bäckerei",
    "Schröder Elektrotechnik",
    "Société Générale de Plomberie",
    "Boulangerie Lefèvre",
    "Peña Construcciones",
    "Göteborg Bygg",
    "Ærø Fiskeri",
    "Łódź Logistyka",
    "Café Olé",
    "Crème de la Crème Traiteur",
    "Zürich Treuhand",
    "Håkansson Måleri",
];

/// Legal forms, common ones listed more than once; "" is a name without one.
const LEGAL_FORMS: &[&str] = &[
    "Ltd",
    "Ltd",
    "Ltd",
    "Limited",
    "LLC",
    "LLC",
    "Inc",
    "Inc",
    "Inc.",
    "GmbH",
    "SA",
    "BV",
    "Pty Ltd",
    "Co",
    "Corp",
    "Corporation",
    "PLC",
    "LLP",
    "AG",
    "SARL",
    "Oy",
    "AB",
    "AS",
    "KG",
    "",
    "",
    "",
];

/// A small deterministic generator (SplitMix64): the same names on every run.
pub struct NameGenerator {
    state: u64,
}

impl NameGenerator {
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    pub fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `bound`, uniformly.
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    /// An element of `list`, the first ones far more often: of 200 words the first is drawn in
    /// about 7 % of names and the last in 0.25 %, so a few words ("Services", "Northern")
    /// appear in thousands of names and most in a few hundred.
    pub fn skewed<'a>(&mut self, list: &[&'a str]) -> &'a str {
        let uniform = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        list[((uniform * uniform) * list.len() as f64) as usize % list.len()]
    }

    fn any<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }

    fn surname(&mut self) -> String {
        format!("{}{}", self.any(SURNAME_STARTS), self.any(SURNAME_ENDS))
    }

    fn brand(&mut self) -> String {
        format!("{}{}", self.any(BRAND_STARTS), self.any(BRAND_ENDS))
    }

    /// One company name, such as "Northern Dental Ltd", "Ashworth & Kingsley LLP",
    /// "Datavista Solutions Inc" or "Sarah Holbury Physiotherapy".
    pub fn name(&mut self) -> String {
        let body = match self.below(100) {
            0..=34 => format!("{} {}", self.skewed(PLACES), self.skewed(TRADES)),
            35..=54 => format!("{} {}", self.surname(), self.skewed(TRADES)),
            55..=66 => format!("{} & {}", self.surname(), self.surname()),
            67..=81 => format!("{} {}", self.brand(), self.skewed(TRADES)),
            82..=89 => format!("{} {}", self.brand(), self.any(&["", "", "Group", "Labs"])),
            90..=97 => format!(
                "{} {} {}",
                self.any(GIVEN_NAMES),
                self.surname(),
                self.skewed(TRADES)
            ),
            _ => self.any(ACCENTED).to_owned(),
        };
        let form = self.skewed(LEGAL_FORMS);
        format!("{} {form}", body.trim())
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `count` distinct names (customer names are unique per reseller, ignoring case): a name drawn
/// twice becomes a branch, "Northern Dental Ltd - Ashworth", as franchises are listed.
pub fn unique_names(seed: u64, count: usize) -> Vec<String> {
    let mut generator = NameGenerator::new(seed);
    let mut seen = std::collections::HashSet::with_capacity(count);
    let mut names = Vec::with_capacity(count);
    while names.len() < count {
        let mut name = generator.name();
        while !seen.insert(name.to_lowercase()) {
            name = format!("{name} - {}", generator.surname());
        }
        names.push(name);
    }
    names
}

/// How varied `names` are: distinct words, and distinct first words (no shared prefix).
pub fn describe(names: &[String]) -> String {
    let words: std::collections::HashSet<&str> =
        names.iter().flat_map(|name| name.split(' ')).collect();
    let first_words: std::collections::HashSet<&str> = names
        .iter()
        .filter_map(|name| name.split(' ').next())
        .collect();
    format!(
        "{} distinct words, {} distinct first words",
        words.len(),
        first_words.len()
    )
}
