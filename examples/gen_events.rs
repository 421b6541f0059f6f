//! Seeded, reproducible generator of realistic Okta System Log events, as NDJSON on stdout.
//!
//! ```text
//! cargo run --release --example gen_events -- --seed 42 --count 300
//! cargo run --release --example gen_events -- --seed 7 --bytes 100000000 > events.ndjson
//! cargo run --release --example gen_events -- --seed 7 --bytes 100000000 --detections > det.ndjson
//! ```
//!
//! The output depends only on the arguments: the generator uses its own PRNG (SplitMix64), no
//! hash-map iteration and no clock, so the same arguments give the same bytes on every machine.
//! Events follow the shape of the real ones in `tests/data/corpus`: Okta's key order (`actor`,
//! `client`, `device`, `authenticationContext`, `displayMessage`, `eventType`, `outcome`,
//! `published`, `securityContext`, `severity`, `debugContext`, `legacyEventType`, `transaction`,
//! `uuid`, `version`, `request`, `target`), `client.zone` mostly the string `"null"`, escaped JSON
//! text in `debugData.logOnlySecurityData` on about a third of user events, Java-map text in
//! `debugData.behaviors`, `published` strictly increasing, v1-style uuids derived from it.
//! JSON is written by hand (serde_json's map would sort the keys); strings are escaped here.
//!
//! `--detections` adds the events Okta's detection catalogue (okta/customer-detections) looks
//! for, which the default mix never writes: ITP's `user.risk.detect`, ThreatInsight, API tokens
//! and their use (`transaction.detail.requestApiTokenId`), log streams, identity providers,
//! protected actions, admin roles, Okta Verify pushes and their answers, FastPass with its
//! `authenticatorContext`, sign-ins through anonymising proxies (`securityContext.isProxy`),
//! device and SMS enrolments, and the bursts the catalogue's Splunk-only rules count (one device
//! or phone number on several users, ten apps in a minute, pushes rejected one after another, a
//! session cookie replayed from another browser, a password spray). Each comes as a *scenario*:
//! mostly the everyday events around a detection, and at rare, steady intervals the attack or
//! mistake it is for (a handful per 100 MB for most detections, more for hunts; BENCHMARKS.md
//! counts each rule). The scenarios have their own PRNG, seeded from `--seed`: the default
//! events are drawn exactly as without the flag and all come out, in order, the same but for
//! `published` (and the uuid and times derived from it), which moves later by the time the added
//! events take. The default output, without the flag, is byte for byte what it always was.
//!
//! `tests/gen_events.rs` compiles this file as a module and calls [`generate`], the whole run
//! behind the command line.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::process::ExitCode;

// ---------------------------------------------------------------------------------------------
// PRNG

/// SplitMix64: tiny, fast, and fully specified, so the output never changes with a crate version.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant for test data.
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    fn range(&mut self, lo: u64, hi_incl: u64) -> u64 {
        lo + self.below(hi_incl - lo + 1)
    }
    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) < p * (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    /// Picks from `(weight, item)` pairs.
    fn weighted<'a, T>(&mut self, xs: &'a [(u32, T)]) -> &'a T {
        let total: u64 = xs.iter().map(|(w, _)| u64::from(*w)).sum();
        let mut r = self.below(total);
        for (w, x) in xs {
            if r < u64::from(*w) {
                return x;
            }
            r -= u64::from(*w);
        }
        unreachable!("weights sum to total")
    }
    fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[self.below(alphabet.len() as u64) as usize] as char)
            .collect()
    }
    fn hex(&mut self, n: usize) -> String {
        self.chars(HEX, n)
    }
    fn alnum(&mut self, n: usize) -> String {
        self.chars(ALNUM, n)
    }
}

const HEX: &[u8] = b"0123456789abcdef";
const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const B64URL: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

// ---------------------------------------------------------------------------------------------
// A minimal ordered JSON value and its writer

enum J {
    Null,
    Bool(bool),
    /// A number, already formatted.
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(&'static str, J)>),
}

fn s(x: impl Into<String>) -> J {
    J::Str(x.into())
}
fn n(x: impl std::fmt::Display) -> J {
    J::Num(x.to_string())
}
fn opt(x: Option<&str>) -> J {
    x.map_or(J::Null, s)
}

fn write_str(out: &mut String, v: &str) {
    out.push('"');
    for c in v.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_json(out: &mut String, v: &J) {
    match v {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Num(x) => out.push_str(x),
        J::Str(x) => write_str(out, x),
        J::Arr(xs) => {
            out.push('[');
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, x);
            }
            out.push(']');
        }
        J::Obj(kvs) => {
            out.push('{');
            for (i, (k, x)) in kvs.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(out, k);
                out.push(':');
                write_json(out, x);
            }
            out.push('}');
        }
    }
}

fn to_json(v: &J) -> String {
    let mut out = String::new();
    write_json(&mut out, v);
    out
}

// ---------------------------------------------------------------------------------------------
// Reference data

struct Place {
    city: &'static str,
    state: &'static str,
    country: &'static str,
    postal: &'static str,
    lat: f64,
    lon: f64,
    /// First two octets of the addresses handed out there.
    net: (u8, u8),
    isp: Isp,
}

#[derive(Clone, Copy)]
struct Isp {
    as_number: u32,
    as_org: &'static str,
    isp: &'static str,
    domain: Option<&'static str>,
}

const COMCAST: Isp = Isp {
    as_number: 7922,
    as_org: "comcast",
    isp: "comcast cable communications  llc",
    domain: Some("comcast.net"),
};
const VERIZON: Isp = Isp {
    as_number: 6167,
    as_org: "verizon",
    isp: "verizon",
    domain: Some("myvzw.com"),
};
const ATT: Isp = Isp {
    as_number: 7018,
    as_org: "at&t services  inc.",
    isp: "at&t services  inc.",
    domain: Some("att.net"),
};
const SPECTRUM: Isp = Isp {
    as_number: 20115,
    as_org: "charter communications",
    isp: "charter communications inc",
    domain: Some("spectrum.com"),
};
const BT: Isp = Isp {
    as_number: 2856,
    as_org: "british telecommunications plc",
    isp: "bt public internet service",
    domain: Some("bt.com"),
};
const DTAG: Isp = Isp {
    as_number: 3320,
    as_org: "deutsche telekom ag",
    isp: "deutsche telekom ag",
    domain: Some("telekom.de"),
};
const ORANGE: Isp = Isp {
    as_number: 3215,
    as_org: "orange s.a.",
    isp: "orange",
    domain: Some("orange.fr"),
};
const AMAZON: Isp = Isp {
    as_number: 14618,
    as_org: "amazon technologies inc.",
    isp: "amazon.com  inc.",
    domain: Some("amazonaws.com"),
};
const ROGERS: Isp = Isp {
    as_number: 812,
    as_org: "rogers communications canada inc.",
    isp: "rogers communications canada inc.",
    domain: Some("rogers.com"),
};
const TELSTRA: Isp = Isp {
    as_number: 1221,
    as_org: "telstra corporation ltd",
    isp: "telstra internet",
    domain: None,
};
const DIGITALOCEAN: Isp = Isp {
    as_number: 14061,
    as_org: "digitalocean  llc",
    isp: "digitalocean  llc",
    domain: Some("digitalocean.com"),
};

const PLACES: &[Place] = &[
    Place {
        city: "San Francisco",
        state: "California",
        country: "United States",
        postal: "94107",
        lat: 37.7697,
        lon: -122.3933,
        net: (73, 189),
        isp: COMCAST,
    },
    Place {
        city: "Oakland",
        state: "California",
        country: "United States",
        postal: "94612",
        lat: 37.8123,
        lon: -122.2675,
        net: (98, 207),
        isp: ATT,
    },
    Place {
        city: "Seattle",
        state: "Washington",
        country: "United States",
        postal: "98101",
        lat: 47.6104,
        lon: -122.3341,
        net: (67, 183),
        isp: COMCAST,
    },
    Place {
        city: "Austin",
        state: "Texas",
        country: "United States",
        postal: "78701",
        lat: 30.2713,
        lon: -97.7426,
        net: (70, 114),
        isp: SPECTRUM,
    },
    Place {
        city: "Chicago",
        state: "Illinois",
        country: "United States",
        postal: "60601",
        lat: 41.8858,
        lon: -87.6181,
        net: (73, 44),
        isp: COMCAST,
    },
    Place {
        city: "New York",
        state: "New York",
        country: "United States",
        postal: "10013",
        lat: 40.7209,
        lon: -74.0047,
        net: (108, 29),
        isp: VERIZON,
    },
    Place {
        city: "Boston",
        state: "Massachusetts",
        country: "United States",
        postal: "02110",
        lat: 42.3567,
        lon: -71.0511,
        net: (96, 237),
        isp: VERIZON,
    },
    Place {
        city: "Riverton",
        state: "Utah",
        country: "United States",
        postal: "84065",
        lat: 40.5219,
        lon: -111.9391,
        net: (97, 178),
        isp: VERIZON,
    },
    Place {
        city: "Denver",
        state: "Colorado",
        country: "United States",
        postal: "80202",
        lat: 39.7525,
        lon: -104.9995,
        net: (174, 51),
        isp: ATT,
    },
    Place {
        city: "Atlanta",
        state: "Georgia",
        country: "United States",
        postal: "30303",
        lat: 33.7537,
        lon: -84.3863,
        net: (99, 44),
        isp: ATT,
    },
    Place {
        city: "Toronto",
        state: "Ontario",
        country: "Canada",
        postal: "M5V",
        lat: 43.6426,
        lon: -79.3871,
        net: (99, 230),
        isp: ROGERS,
    },
    Place {
        city: "London",
        state: "England",
        country: "United Kingdom",
        postal: "EC2V",
        lat: 51.5164,
        lon: -0.093,
        net: (86, 137),
        isp: BT,
    },
    Place {
        city: "Berlin",
        state: "Land Berlin",
        country: "Germany",
        postal: "10115",
        lat: 52.5323,
        lon: 13.3846,
        net: (87, 123),
        isp: DTAG,
    },
    Place {
        city: "Paris",
        state: "Île-de-France",
        country: "France",
        postal: "75001",
        lat: 48.8628,
        lon: 2.3292,
        net: (90, 84),
        isp: ORANGE,
    },
    Place {
        city: "Sydney",
        state: "New South Wales",
        country: "Australia",
        postal: "2000",
        lat: -33.8715,
        lon: 151.2006,
        net: (101, 182),
        isp: TELSTRA,
    },
    Place {
        city: "São Paulo",
        state: "São Paulo",
        country: "Brazil",
        postal: "01310",
        lat: -23.5505,
        lon: -46.6333,
        net: (177, 92),
        isp: Isp {
            as_number: 28573,
            as_org: "claro nxt telecomunicacoes ltda",
            isp: "claro s.a.",
            domain: Some("claro.com.br"),
        },
    },
    Place {
        city: "Ashburn",
        state: "Virginia",
        country: "United States",
        postal: "20149",
        lat: 39.0469,
        lon: -77.4903,
        net: (52, 207),
        isp: AMAZON,
    },
    Place {
        city: "Amsterdam",
        state: "North Holland",
        country: "Netherlands",
        postal: "1012",
        lat: 52.3759,
        lon: 4.8975,
        net: (178, 62),
        isp: DIGITALOCEAN,
    },
];

/// Index of the office (corporate network) place in `PLACES`.
const OFFICE: usize = 0;

const M247: Isp = Isp {
    as_number: 9009,
    as_org: "m247 europe srl",
    isp: "m247 europe srl",
    domain: Some("m247.com"),
};
const DATACAMP: Isp = Isp {
    as_number: 60068,
    as_org: "datacamp limited",
    isp: "datacamp limited",
    domain: Some("datacamp.co.uk"),
};

/// Exits of anonymising VPNs and proxies (`securityContext.isProxy` true). Only the detection mix
/// (`--detections`) comes from these.
const PROXIES: &[Place] = &[
    Place {
        city: "Bucharest",
        state: "Bucuresti",
        country: "Romania",
        postal: "010011",
        lat: 44.4354,
        lon: 26.1033,
        net: (185, 156),
        isp: M247,
    },
    Place {
        city: "Frankfurt am Main",
        state: "Hesse",
        country: "Germany",
        postal: "60313",
        lat: 50.1155,
        lon: 8.6842,
        net: (89, 187),
        isp: DATACAMP,
    },
    Place {
        city: "Los Angeles",
        state: "California",
        country: "United States",
        postal: "90017",
        lat: 34.0544,
        lon: -118.2439,
        net: (146, 70),
        isp: M247,
    },
    Place {
        city: "Singapore",
        state: "Singapore",
        country: "Singapore",
        postal: "018989",
        lat: 1.2868,
        lon: 103.8503,
        net: (143, 244),
        isp: DATACAMP,
    },
];

struct Agent {
    raw: &'static str,
    os: &'static str,
    browser: &'static str,
    device: &'static str,
}

const AGENTS: &[Agent] = &[
    Agent { raw: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36", os: "Mac OS 15.5.0 (Sequoia)", browser: "CHROME", device: "Computer" },
    Agent { raw: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36", os: "Mac OS X", browser: "CHROME", device: "Computer" },
    Agent { raw: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/137.0.0.0 Safari/537.36", os: "Windows 10", browser: "CHROME", device: "Computer" },
    Agent { raw: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/137.0.0.0 Safari/537.36 Edg/137.0.3296.83", os: "Windows 10", browser: "EDGE_CHROMIUM", device: "Computer" },
    Agent { raw: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:139.0) Gecko/20100101 Firefox/139.0", os: "Mac OS X", browser: "FIREFOX", device: "Computer" },
    Agent { raw: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15", os: "Mac OS X", browser: "SAFARI", device: "Computer" },
    Agent { raw: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Safari/537.36", os: "Linux", browser: "CHROME", device: "Computer" },
    Agent { raw: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1", os: "iOS", browser: "SAFARI", device: "Mobile" },
    Agent { raw: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/137.0.0.0 Mobile Safari/537.36", os: "Android 14", browser: "CHROME", device: "Mobile" },
    Agent { raw: "OktaVerify/9.42.0 (iOS 18.5; iPhone16,2)", os: "iOS", browser: "UNKNOWN", device: "Mobile" },
];

const API_AGENTS: &[Agent] = &[
    Agent {
        raw: "okta-sdk-java/8.2.5 java/17.0.10 Linux/5.15.0-1057-aws",
        os: "Linux",
        browser: "UNKNOWN",
        device: "Unknown",
    },
    Agent {
        raw: "Go-http-client/2.0",
        os: "Unknown",
        browser: "UNKNOWN",
        device: "Unknown",
    },
    Agent {
        raw: "python-requests/2.32.3",
        os: "Unknown",
        browser: "UNKNOWN",
        device: "Unknown",
    },
    Agent {
        raw: "Terraform/1.8.5 terraform-provider-okta/4.9.1",
        os: "Unknown",
        browser: "UNKNOWN",
        device: "Unknown",
    },
];

const AD_AGENT: Agent = Agent {
    raw: "Okta AD Agent/3.19.0 (Microsoft Windows NT 6.2.9200.0; .NET CLR 4.0.30319.42000; 64-bit OS; 64-bit Process)",
    os: "Windows",
    browser: "UNKNOWN",
    device: "Unknown",
};

const FIRST: &[&str] = &[
    "John",
    "Jane",
    "Maria",
    "Wei",
    "Aisha",
    "Carlos",
    "Priya",
    "Liam",
    "Olivia",
    "Noah",
    "Emma",
    "Mateo",
    "Sofia",
    "Hiroshi",
    "Fatima",
    "Lukas",
    "Chloé",
    "Zoë",
    "Oluwaseun",
    "Anna",
    "David",
    "Sarah",
    "Michael",
    "Emily",
    "Daniel",
    "Grace",
    "Ravi",
    "Ingrid",
    "Tomás",
    "Mei",
];
const LAST: &[&str] = &[
    "Doe",
    "Smith",
    "Garcia",
    "Zhang",
    "Khan",
    "Rodríguez",
    "Patel",
    "Murphy",
    "Johnson",
    "Müller",
    "Nguyen",
    "Kim",
    "Tanaka",
    "O'Brien",
    "Rossi",
    "Novak",
    "Okafor",
    "Larsen",
    "Dubois",
    "Silva",
    "Cohen",
    "Brown",
    "Wilson",
    "Lee",
    "Martin",
];

/// (name, sign-on mode)
const APPS: &[(&str, &str)] = &[
    ("Salesforce.com", "SAML_2_0"),
    ("Slack", "SAML_2_0"),
    ("Google Workspace", "SAML_2_0"),
    ("Microsoft Office 365", "WS_FEDERATION"),
    ("AWS IAM Identity Center", "SAML_2_0"),
    ("Zoom", "SAML_2_0"),
    ("GitHub Enterprise Cloud - Organization", "SAML_2_0"),
    ("Atlassian Cloud", "SAML_2_0"),
    ("Workday", "SAML_2_0"),
    ("ServiceNow UD", "SAML_2_0"),
    ("Okta Dashboard", "OPENID_CONNECT"),
    ("Okta Admin Console", "OPENID_CONNECT"),
    ("Expense Portal", "OPENID_CONNECT"),
];

const GROUPS: &[&str] = &[
    "Engineering",
    "Sales",
    "Finance",
    "Support",
    "Contractors",
    "AWS-Prod-ReadOnly",
    "AWS-Prod-Admins",
    "VPN Users",
    "Everyone-EMEA",
    "Marketing",
    "HR",
    "Okta Admins",
];

/// (factor displayName, factor key, authenticator enrollment prefix)
const FACTORS: &[(&str, &str)] = &[
    ("Okta Verify", "OKTA_VERIFY_PUSH"),
    ("Okta Verify", "SIGNED_NONCE"),
    ("Password", "PASSWORD_AS_FACTOR"),
    ("Google Authenticator", "GOOGLE_OTP"),
    ("Phone", "SMS_FACTOR"),
    ("Security Key or Biometric", "FIDO_WEBAUTHN"),
];

const ROLES: &[(&str, &str)] = &[
    ("SUPER_ADMIN", "Super Administrator"),
    ("ORG_ADMIN", "Organization Administrator"),
    ("APP_ADMIN", "Application Administrator"),
    ("USER_ADMIN", "Group Administrator"),
    ("HELP_DESK_ADMIN", "Help Desk Administrator"),
    ("READ_ONLY_ADMIN", "Read-only Administrator"),
];

// ---------------------------------------------------------------------------------------------
// The org: users, apps, groups, all derived from the seed

struct User {
    id: String,
    login: String,
    name: String,
    home: usize,
    ip: String,
    agent: usize,
    office_worker: bool,
}

struct App {
    id: String,
    name: &'static str,
    mode: &'static str,
    client_id: String,
}

struct Org {
    domain: &'static str,
    subdomain: &'static str,
    suffix: String,
    users: Vec<User>,
    admins: Vec<usize>,
    apps: Vec<App>,
    groups: Vec<(String, &'static str)>,
    ad_app_id: String,
    ad_agents: Vec<(String, String, String)>, // (id, host name, ip)
    system_id: String,
}

fn ip_in(rng: &mut Rng, net: (u8, u8)) -> String {
    format!(
        "{}.{}.{}.{}",
        net.0,
        net.1,
        rng.range(0, 255),
        rng.range(1, 254)
    )
}

impl Org {
    fn new(rng: &mut Rng) -> Org {
        let (domain, subdomain) = *rng.pick(&[
            ("acme.com", "acme"),
            ("example.com", "example"),
            ("initech.io", "initech"),
            ("globex.net", "globex"),
        ]);
        // Okta ids end in a short, org-wide cell suffix, like "697" or "1d7".
        let suffix = format!("{}{}", rng.range(1, 9), rng.chars(b"0123456789abcdefgh", 2));
        let mut o = Org {
            domain,
            subdomain,
            suffix,
            users: Vec::new(),
            admins: Vec::new(),
            apps: Vec::new(),
            groups: Vec::new(),
            ad_app_id: String::new(),
            ad_agents: Vec::new(),
            system_id: String::new(),
        };
        let mut seen = Vec::new();
        for _ in 0..400 {
            let first = *rng.pick(FIRST);
            let last = *rng.pick(LAST);
            let base = format!("{}.{}", ascii_login(first), ascii_login(last));
            let k = seen.iter().filter(|b| **b == base).count();
            seen.push(base.clone());
            let login = if k == 0 {
                format!("{base}@{domain}")
            } else {
                format!("{base}{}@{domain}", k + 1)
            };
            let office_worker = rng.chance(0.55);
            let home = if office_worker && rng.chance(0.5) {
                OFFICE
            } else {
                rng.below(PLACES.len() as u64 - 1) as usize + 1
            };
            let ip = ip_in(rng, PLACES[home].net);
            let agent = rng.below(AGENTS.len() as u64) as usize;
            o.users.push(User {
                id: o.id(rng, "00u"),
                login,
                name: format!("{first} {last}"),
                home,
                ip,
                agent,
                office_worker,
            });
        }
        o.admins = (0..6)
            .map(|_| rng.below(o.users.len() as u64) as usize)
            .collect();
        for (name, mode) in APPS {
            let id = o.id(rng, "0oa");
            o.apps.push(App {
                id,
                name,
                mode,
                client_id: format!("0oa{}", rng.alnum(17)),
            });
        }
        for g in GROUPS {
            let id = o.id(rng, "00g");
            o.groups.push((id, g));
        }
        o.ad_app_id = o.id(rng, "0oa");
        for i in 0..2 {
            let id = o.id(rng, "a53");
            let host = format!("DC{:02}.corp.{}", i + 1, domain);
            let ip = format!("10.20.{}.{}", rng.range(0, 9), rng.range(10, 250));
            o.ad_agents.push((id, host, ip));
        }
        o.system_id = o.id(rng, "0oa");
        o
    }

    /// An Okta object id: 3-character type prefix, 14 random characters, the org suffix (20 in all).
    fn id(&self, rng: &mut Rng, prefix: &str) -> String {
        format!("{prefix}{}{}", rng.alnum(14), self.suffix)
    }
}

fn ascii_login(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'á' | 'à' => Some('a'),
            'é' | 'ë' => Some('e'),
            'í' => Some('i'),
            'ó' => Some('o'),
            'ü' => Some('u'),
            '\'' => None,
            c => Some(c.to_ascii_lowercase()),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Time

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn rfc3339_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        t / 3600,
        t % 3600 / 60,
        t % 60,
        ms.rem_euclid(1000)
    )
}

/// A version-1 uuid for the instant `ms` (100 ns ticks since 1582-10-15), with a random
/// sub-millisecond part, clock sequence and one of a few node ids (Okta's log servers).
fn uuid_v1(rng: &mut Rng, ms: i64, nodes: &[u64]) -> String {
    const GREGORIAN_OFFSET: u64 = 0x01B2_1DD2_1381_4000;
    let ticks = GREGORIAN_OFFSET + ms as u64 * 10_000 + rng.below(10_000);
    let time_low = ticks & 0xFFFF_FFFF;
    let time_mid = (ticks >> 32) & 0xFFFF;
    let time_hi = (ticks >> 48) & 0x0FFF;
    let clock_seq = 0x8000 | rng.below(0x4000);
    let node = *rng.pick(nodes);
    format!("{time_low:08x}-{time_mid:04x}-1{time_hi:03x}-{clock_seq:04x}-{node:012x}")
}

// ---------------------------------------------------------------------------------------------
// Event building blocks

struct Ctx<'a> {
    rng: &'a mut Rng,
    org: &'a Org,
    nodes: &'a [u64],
}

/// Where a request came from.
struct Origin {
    place: usize,
    ip: String,
    agent: &'static Agent,
    zone: J,
    client_id: Option<String>,
    /// `place` indexes `PROXIES` (an anonymiser exit; `securityContext.isProxy` true), not `PLACES`.
    proxy: bool,
}

impl Origin {
    fn where_(&self) -> &'static Place {
        if self.proxy {
            &PROXIES[self.place]
        } else {
            &PLACES[self.place]
        }
    }
}

fn geo(p: &Place) -> J {
    J::Obj(vec![
        ("city", s(p.city)),
        ("state", s(p.state)),
        ("country", s(p.country)),
        ("postalCode", s(p.postal)),
        (
            "geolocation",
            J::Obj(vec![("lat", n(p.lat)), ("lon", n(p.lon))]),
        ),
    ])
}

fn user_actor(u: &User) -> J {
    J::Obj(vec![
        ("id", s(&u.id)),
        ("type", s("User")),
        ("alternateId", s(&u.login)),
        ("displayName", s(&u.name)),
        ("detailEntry", J::Null),
    ])
}

fn system_actor(org: &Org) -> J {
    J::Obj(vec![
        ("id", s(&org.system_id)),
        ("type", s("SystemPrincipal")),
        ("alternateId", s("system@okta.com")),
        ("displayName", s("Okta System")),
        ("detailEntry", J::Null),
    ])
}

fn target(id: &str, ty: &str, alt: J, display: J, detail: J) -> J {
    J::Obj(vec![
        ("id", s(id)),
        ("type", s(ty)),
        ("alternateId", alt),
        ("displayName", display),
        ("detailEntry", detail),
    ])
}

fn user_target(u: &User) -> J {
    target(&u.id, "User", s(&u.login), s(&u.name), J::Null)
}

fn app_target(a: &App, detail: J) -> J {
    target(&a.id, "AppInstance", s(a.name), s(a.name), detail)
}

fn ad_app_target(org: &Org) -> J {
    target(
        &org.ad_app_id,
        "AppInstance",
        s(format!("corp.{}", org.domain)),
        s("Active Directory"),
        J::Null,
    )
}

impl Ctx<'_> {
    /// Where user `u` is now: mostly home, sometimes travelling or on a phone network.
    fn origin_of(&mut self, u: &User) -> Origin {
        let r = &mut *self.rng;
        let (place, ip) = if r.chance(0.88) {
            (u.home, u.ip.clone())
        } else {
            let p = r.below(PLACES.len() as u64) as usize;
            (p, ip_in(r, PLACES[p].net))
        };
        let agent = if r.chance(0.9) {
            &AGENTS[u.agent]
        } else {
            r.pick(AGENTS)
        };
        // Office workers at the office come from the corporate network zone.
        let zone = if place == OFFICE && u.office_worker && r.chance(0.8) {
            s("Corporate Network")
        } else if r.chance(0.06) {
            J::Null
        } else if r.chance(0.03) {
            s("Office VPN")
        } else {
            s("null")
        };
        let client_id = if r.chance(0.3) {
            Some(format!("okta.{}", uuid4(r)))
        } else {
            None
        };
        Origin {
            place,
            ip,
            agent,
            zone,
            client_id,
            proxy: false,
        }
    }

    fn api_origin(&mut self) -> Origin {
        let r = &mut *self.rng;
        let place = 16; // Ashburn, AWS
        Origin {
            place,
            ip: ip_in(r, PLACES[place].net),
            agent: r.pick(API_AGENTS),
            zone: s("null"),
            client_id: Some(format!("0oa{}", r.alnum(17))),
            proxy: false,
        }
    }

    fn agent_origin(&mut self, agent: usize) -> Origin {
        let ip = self.org.ad_agents[agent].2.clone();
        Origin {
            place: OFFICE,
            ip,
            agent: &AD_AGENT,
            zone: s("Corporate Network"),
            client_id: None,
            proxy: false,
        }
    }

    fn client(&self, o: &Origin) -> J {
        let a = o.agent;
        J::Obj(vec![
            (
                "userAgent",
                J::Obj(vec![
                    ("rawUserAgent", s(a.raw)),
                    ("os", s(a.os)),
                    ("browser", s(a.browser)),
                ]),
            ),
            ("zone", clone_j(&o.zone)),
            ("device", s(a.device)),
            ("id", opt(o.client_id.as_deref())),
            ("ipAddress", s(&o.ip)),
            ("geographicalContext", geo(o.where_())),
        ])
    }

    fn security(&self, o: &Origin) -> J {
        let isp = o.where_().isp;
        if o.ip.starts_with("10.") {
            return J::Obj(vec![
                ("asNumber", J::Null),
                ("asOrg", J::Null),
                ("isp", J::Null),
                ("domain", J::Null),
                ("isProxy", J::Null),
            ]);
        }
        J::Obj(vec![
            ("asNumber", n(isp.as_number)),
            ("asOrg", s(isp.as_org)),
            ("isp", s(isp.isp)),
            ("domain", opt(isp.domain)),
            ("isProxy", J::Bool(o.proxy)),
        ])
    }

    fn request(&self, o: &Origin) -> J {
        J::Obj(vec![(
            "ipChain",
            J::Arr(vec![J::Obj(vec![
                ("ip", s(&o.ip)),
                ("geographicalContext", geo(o.where_())),
                ("version", s("V4")),
                ("source", J::Null),
            ])]),
        )])
    }

    fn auth_ctx(&mut self, provider: Option<&str>, cred: Option<&str>, session: &str) -> J {
        J::Obj(vec![
            ("authenticationProvider", opt(provider)),
            ("credentialProvider", opt(cred)),
            ("credentialType", J::Null),
            ("issuer", J::Null),
            ("interface", J::Null),
            ("authenticationStep", n(0)),
            ("rootSessionId", s(session)),
            ("externalSessionId", s(session)),
        ])
    }

    fn session_id(&mut self) -> String {
        let p = *self.rng.pick(&["idx", "102", "trs"]);
        format!("{p}{}", self.rng.chars(B64URL, 22))
    }

    fn request_id(&mut self) -> String {
        if self.rng.chance(0.5) {
            self.rng.hex(32)
        } else {
            format!(
                "{}AAA{}",
                self.rng.chars(ALNUM, 20),
                self.rng.chars(ALNUM, 4)
            )
        }
    }
}

fn clone_j(j: &J) -> J {
    match j {
        J::Null => J::Null,
        J::Bool(b) => J::Bool(*b),
        J::Num(x) => J::Num(x.clone()),
        J::Str(x) => J::Str(x.clone()),
        J::Arr(xs) => J::Arr(xs.iter().map(clone_j).collect()),
        J::Obj(kvs) => J::Obj(kvs.iter().map(|(k, v)| (*k, clone_j(v))).collect()),
    }
}

fn uuid4(r: &mut Rng) -> String {
    let h = r.hex(32);
    format!(
        "{}-{}-4{}-{}{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        *r.pick(&["8", "9", "a", "b"]),
        &h[17..20],
        &h[20..32]
    )
}

const BEHAVIOR_NAMES: [&str; 7] = [
    "New Geo-Location",
    "New Device",
    "New IP",
    "New State",
    "New Country",
    "Velocity",
    "New City",
];

/// Okta's behaviour detection for one sign-in: values for `BEHAVIOR_NAMES`, and a risk level.
struct Behaviors {
    values: [&'static str; 7],
    level: &'static str,
    reasons: Option<&'static str>,
}

fn behaviors(r: &mut Rng, travelling: bool) -> Behaviors {
    if r.chance(0.05) {
        return Behaviors {
            values: ["UNKNOWN"; 7],
            level: "LOW",
            reasons: None,
        };
    }
    let pos = |r: &mut Rng, p: f64| if r.chance(p) { "POSITIVE" } else { "NEGATIVE" };
    let geo = if travelling { "POSITIVE" } else { pos(r, 0.03) };
    let device = pos(r, 0.09);
    let ip = if travelling { "POSITIVE" } else { pos(r, 0.2) };
    let state = if travelling { pos(r, 0.6) } else { "NEGATIVE" };
    let country = if travelling { pos(r, 0.3) } else { "NEGATIVE" };
    let velocity = if travelling { pos(r, 0.2) } else { "NEGATIVE" };
    let city = geo;
    let values = [geo, device, ip, state, country, velocity, city];
    let (level, reasons) = match (device, velocity, travelling) {
        (_, "POSITIVE", _) => ("HIGH", Some("Anomalous Location, Impossible Travel")),
        ("POSITIVE", _, true) => ("HIGH", Some("Anomalous Device, Anomalous Location")),
        ("POSITIVE", _, false) => ("MEDIUM", Some("Anomalous Device")),
        (_, _, true) => ("MEDIUM", Some("Anomalous Location")),
        _ => ("LOW", None),
    };
    Behaviors {
        values,
        level,
        reasons,
    }
}

/// `{"risk":{...},"behaviors":{...}}` as compact JSON text (to be stored as a string value).
fn log_only_security_data(b: &Behaviors) -> String {
    let mut risk = Vec::new();
    if let Some(reasons) = b.reasons {
        risk.push(("reasons", s(reasons)));
    }
    risk.push(("level", s(b.level)));
    let beh = BEHAVIOR_NAMES
        .iter()
        .zip(b.values)
        .map(|(k, v)| (*k, s(v)))
        .collect();
    to_json(&J::Obj(vec![
        ("risk", J::Obj(risk)),
        ("behaviors", J::Obj(beh)),
    ]))
}

/// `{New Geo-Location=NEGATIVE, New Device=POSITIVE, ...}`: the Java-map text Okta logs.
fn behaviors_text(b: &Behaviors) -> String {
    let parts: Vec<String> = BEHAVIOR_NAMES
        .iter()
        .zip(b.values)
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

// ---------------------------------------------------------------------------------------------
// Events

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    SessionStart,
    SessionEnd,
    Sso,
    AuthViaMfa,
    Verify,
    PolicyEval,
    OAuthAuthorize,
    OAuthAccessToken,
    OAuthIdToken,
    Lifecycle,
    PasswordUpdate,
    AccountLock,
    GroupAdd,
    GroupRemove,
    AgentAd,
    PrivilegeGrant,
}

const MIX: &[(u32, Kind)] = &[
    (140, Kind::SessionStart),
    (30, Kind::SessionEnd),
    (220, Kind::Sso),
    (100, Kind::AuthViaMfa),
    (80, Kind::Verify),
    (150, Kind::PolicyEval),
    (50, Kind::OAuthAuthorize),
    (60, Kind::OAuthAccessToken),
    (20, Kind::OAuthIdToken),
    (30, Kind::Lifecycle),
    (10, Kind::PasswordUpdate),
    (5, Kind::AccountLock),
    (40, Kind::GroupAdd),
    (10, Kind::GroupRemove),
    (25, Kind::AgentAd),
    (3, Kind::PrivilegeGrant),
];

/// An import that has started and will complete a few events later.
struct PendingImport {
    due: u64,
    trigger: &'static str,
    kind: &'static str,
    actor: Option<usize>,
    agent: usize,
    transaction: String,
    session: String,
    origin_ip: String,
}

/// Everything that differs between event types; the skeleton is filled in by `assemble`.
struct Ev {
    actor: J,
    origin: Origin,
    device: J,
    auth: J,
    message: String,
    event_type: String,
    result: &'static str,
    reason: J,
    severity: &'static str,
    debug: Vec<(&'static str, J)>,
    legacy: J,
    transaction_type: &'static str,
    transaction_id: Option<String>,
    /// `transaction.detail`: `{}` but for requests made with an API token.
    transaction_detail: J,
    target: J,
}

/// The event's JSON text: Okta's key order, `published` at `now`, a uuid of that instant.
fn assemble(c: &mut Ctx, now: i64, ev: Ev) -> String {
    let uuid = uuid_v1(c.rng, now, c.nodes);
    let txn = ev.transaction_id.unwrap_or_else(|| c.request_id());
    let mut debug = ev.debug;
    if !debug.iter().any(|(k, _)| *k == "requestId") {
        debug.insert(0, ("requestId", s(&txn)));
    }
    let v = J::Obj(vec![
        ("actor", ev.actor),
        ("client", c.client(&ev.origin)),
        ("device", ev.device),
        ("authenticationContext", ev.auth),
        ("displayMessage", s(ev.message)),
        ("eventType", s(ev.event_type)),
        (
            "outcome",
            J::Obj(vec![("result", s(ev.result)), ("reason", ev.reason)]),
        ),
        ("published", s(rfc3339_ms(now))),
        ("securityContext", c.security(&ev.origin)),
        ("severity", s(ev.severity)),
        ("debugContext", J::Obj(vec![("debugData", J::Obj(debug))])),
        ("legacyEventType", ev.legacy),
        (
            "transaction",
            J::Obj(vec![
                ("type", s(ev.transaction_type)),
                ("id", s(txn)),
                ("detail", ev.transaction_detail),
            ]),
        ),
        ("uuid", s(uuid)),
        ("version", s("0")),
        ("request", c.request(&ev.origin)),
        ("target", ev.target),
    ]);
    to_json(&v)
}

struct Gen {
    rng: Rng,
    org: Org,
    nodes: Vec<u64>,
    now_ms: i64,
    seq: u64,
    import_per_mille: u32,
    pending: Vec<PendingImport>,
    /// The detection mix (`--detections`), with its own PRNG.
    det: Option<Detections>,
    /// Whether the detection mix has taken its step before the next default event.
    det_stepped: bool,
}

impl Gen {
    fn new(seed: u64, import_per_mille: u32, detections: bool) -> Gen {
        let mut rng = Rng(seed);
        let org = Org::new(&mut rng);
        let nodes = (0..6).map(|_| rng.below(1 << 48)).collect();
        let det = detections.then(|| Detections::new(seed, &org));
        Gen {
            rng,
            org,
            nodes,
            // 2025-03-03T08:00:00.000Z
            now_ms: 1_740_988_800_000,
            seq: 0,
            import_per_mille,
            pending: Vec::new(),
            det,
            det_stepped: false,
        }
    }

    /// The next event: a detection scenario's that is due, else a default one.
    fn next_line(&mut self) -> String {
        if let Some(d) = self.det.as_mut() {
            if !self.det_stepped {
                self.det_stepped = true;
                d.step(&self.org, &self.nodes, self.now_ms);
            }
            let c = &mut Ctx {
                rng: &mut d.rng,
                org: &self.org,
                nodes: &self.nodes,
            };
            if let Some(ev) = d.queue.pop_due(self.now_ms) {
                self.now_ms += 1 + c.rng.below(250) as i64;
                return assemble(c, self.now_ms, ev);
            }
            self.det_stepped = false;
        }
        self.next_event()
    }

    fn next_event(&mut self) -> String {
        self.seq += 1;
        // Strictly increasing, ~1.2 s apart on average.
        self.now_ms += 1 + self.rng.below(2400) as i64;
        let ev = if let Some(i) = self.pending.iter().position(|p| p.due <= self.seq) {
            let p = self.pending.remove(i);
            self.import_complete(p)
        } else if self.rng.below(1000) < u64::from(self.import_per_mille) {
            self.import_start()
        } else {
            let kind = *self.rng.weighted(MIX);
            self.event(kind)
        };
        self.assemble(ev)
    }

    fn ctx(&mut self) -> Ctx<'_> {
        Ctx {
            rng: &mut self.rng,
            org: &self.org,
            nodes: &self.nodes,
        }
    }

    fn assemble(&mut self, ev: Ev) -> String {
        let c = &mut Ctx {
            rng: &mut self.rng,
            org: &self.org,
            nodes: &self.nodes,
        };
        assemble(c, self.now_ms, ev)
    }

    fn import_start(&mut self) -> Ev {
        let trigger = if self.rng.chance(0.45) {
            "Manual action"
        } else {
            "Scheduled"
        };
        let kind = if self.rng.chance(0.4) {
            "Full"
        } else {
            "Incremental"
        };
        let actor = (trigger == "Manual action")
            .then(|| self.org.admins[self.rng.below(self.org.admins.len() as u64) as usize]);
        let agent = self.rng.below(self.org.ad_agents.len() as u64) as usize;
        let c = &mut self.ctx();
        let transaction = c.request_id();
        let session = c.session_id();
        let (origin, actor_j, auth) = match actor {
            Some(a) => {
                let u = &c.org.users[a];
                let o = c.origin_of(u);
                let auth = c.auth_ctx(None, None, &session);
                (o, user_actor(u), auth)
            }
            None => {
                let o = c.agent_origin(agent);
                let auth = c.auth_ctx(None, None, &session);
                (o, system_actor(c.org), auth)
            }
        };
        let mut debug = vec![
            ("requestId", s(&transaction)),
            ("importTrigger", s(trigger)),
            ("importType", s(kind)),
        ];
        if actor.is_some() {
            let uri = format!(
                "/admin/app/active_directory/instance/{}/import",
                c.org.ad_app_id
            );
            debug.push(("requestUri", s(&uri)));
            debug.push(("url", s(format!("{uri}?full={}", kind == "Full"))));
        }
        let due = self.seq + self.rng.range(3, 40);
        self.pending.push(PendingImport {
            due,
            trigger,
            kind,
            actor,
            agent,
            transaction: transaction.clone(),
            session,
            origin_ip: origin.ip.clone(),
        });
        Ev {
            actor: actor_j,
            origin,
            device: J::Null,
            auth,
            message: "Import started".into(),
            event_type: "system.import.start".into(),
            result: "SUCCESS",
            reason: J::Null,
            severity: "INFO",
            debug,
            legacy: s("app.generic.import.started"),
            transaction_type: if actor.is_some() { "WEB" } else { "JOB" },
            transaction_id: Some(transaction),
            transaction_detail: J::Obj(vec![]),
            target: J::Arr(vec![ad_app_target(&self.org)]),
        }
    }

    fn import_complete(&mut self, p: PendingImport) -> Ev {
        let c = &mut self.ctx();
        let mut origin = match p.actor {
            Some(a) => c.origin_of(&c.org.users[a]),
            None => c.agent_origin(p.agent),
        };
        origin.ip = p.origin_ip;
        let actor = match p.actor {
            Some(a) => user_actor(&c.org.users[a]),
            None => system_actor(c.org),
        };
        let auth = c.auth_ctx(None, None, &p.session);
        let failed = c.rng.chance(0.05);
        let scanned = if p.kind == "Full" {
            c.rng.range(350, 4200)
        } else {
            c.rng.range(0, 60)
        };
        let debug = vec![
            ("requestId", s(&p.transaction)),
            ("importTrigger", s(p.trigger)),
            ("importType", s(p.kind)),
            ("usersScanned", s(scanned.to_string())),
            ("groupsScanned", s(c.rng.range(0, 40).to_string())),
            ("agentHost", s(&c.org.ad_agents[p.agent].1)),
        ];
        Ev {
            actor,
            origin,
            device: J::Null,
            auth,
            message: "Import completed".into(),
            event_type: "system.import.complete".into(),
            result: if failed { "FAILURE" } else { "SUCCESS" },
            reason: if failed {
                s("Import failed: the AD agent did not respond")
            } else {
                J::Null
            },
            severity: if failed { "WARN" } else { "INFO" },
            debug,
            legacy: s("app.generic.import.complete"),
            transaction_type: if p.actor.is_some() { "WEB" } else { "JOB" },
            transaction_id: Some(p.transaction),
            transaction_detail: J::Obj(vec![]),
            target: J::Arr(vec![ad_app_target(&self.org)]),
        }
    }

    fn event(&mut self, kind: Kind) -> Ev {
        let c = &mut Ctx {
            rng: &mut self.rng,
            org: &self.org,
            nodes: &self.nodes,
        };
        let org = c.org;
        let ui = c.rng.below(org.users.len() as u64) as usize;
        let u = &org.users[ui];
        let origin = c.origin_of(u);
        let session = c.session_id();
        let request_id = c.request_id();
        let travelling = origin.place != u.home;
        let user_event = matches!(
            kind,
            Kind::SessionStart
                | Kind::SessionEnd
                | Kind::Sso
                | Kind::AuthViaMfa
                | Kind::Verify
                | Kind::Lifecycle
                | Kind::PasswordUpdate
                | Kind::AccountLock
                | Kind::PrivilegeGrant
        );
        let sign_in = matches!(
            kind,
            Kind::SessionStart | Kind::Sso | Kind::AuthViaMfa | Kind::Verify | Kind::PolicyEval
        );
        let beh = behaviors(c.rng, travelling);
        let mut debug: Vec<(&'static str, J)> = vec![("requestId", s(&request_id))];
        let app = &org.apps[c.rng.below(org.apps.len() as u64) as usize];

        let mut ev = Ev {
            actor: user_actor(u),
            origin,
            device: J::Null,
            auth: J::Null,
            message: String::new(),
            event_type: String::new(),
            result: "SUCCESS",
            reason: J::Null,
            severity: "INFO",
            debug: Vec::new(),
            legacy: J::Null,
            transaction_type: "WEB",
            transaction_id: Some(request_id.clone()),
            transaction_detail: J::Obj(vec![]),
            target: J::Null,
        };
        ev.auth = c.auth_ctx(None, None, &session);

        match kind {
            Kind::SessionStart => {
                let ok = c.rng.chance(0.8);
                ev.message = "User login to Okta".into();
                ev.event_type = "user.session.start".into();
                ev.result = if ok { "SUCCESS" } else { "FAILURE" };
                ev.reason = if ok {
                    J::Null
                } else {
                    s(*c.rng
                        .pick(&["INVALID_CREDENTIALS", "VERIFICATION_ERROR", "LOCKED_OUT"]))
                };
                ev.legacy = s(if ok {
                    "core.user_auth.login_success"
                } else {
                    "core.user_auth.login_failed"
                });
                ev.auth = c.auth_ctx(None, Some("OKTA_CREDENTIAL_PROVIDER"), &session);
                signin_debug(c, &mut debug, "/idp/idx/identify");
                if c.rng.chance(0.3) {
                    debug.push((
                        "oktaUserAgentExtended",
                        s("okta-auth-js/7.8.1 okta-signin-widget-7.31.1"),
                    ));
                }
                if c.rng.chance(0.15) {
                    ev.device = device_obj(c, ev.origin.agent);
                }
                ev.target = if c.rng.chance(0.5) {
                    J::Null
                } else {
                    let enr = org.id(c.rng, "lae");
                    J::Arr(vec![
                        target(
                            &enr,
                            "AuthenticatorEnrollment",
                            s("unknown"),
                            s("Password"),
                            J::Null,
                        ),
                        app_target(&org.apps[10], J::Null),
                    ])
                };
            }
            Kind::SessionEnd => {
                ev.message = "User logout from Okta".into();
                ev.event_type = "user.session.end".into();
                ev.legacy = s("core.user_auth.logout_success");
                debug.push(("requestUri", s("/login/signout")));
                debug.push(("url", s("/login/signout?")));
            }
            Kind::Sso => {
                let ok = c.rng.chance(0.95);
                ev.message = "User single sign on to app".into();
                ev.event_type = "user.authentication.sso".into();
                ev.result = if ok { "SUCCESS" } else { "FAILURE" };
                ev.reason = if ok {
                    J::Null
                } else {
                    s("User attempted unauthorized access to app")
                };
                ev.legacy = s("app.auth.sso");
                let uri = format!(
                    "/app/{}/{}/sso/saml",
                    app.name.to_lowercase().replace(' ', "_"),
                    app.id
                );
                signin_debug(c, &mut debug, &uri);
                if c.rng.chance(0.4) {
                    debug.push((
                        "initiationType",
                        s(*c.rng.pick(&["IDP_INITIATED", "SP_INITIATED"])),
                    ));
                }
                let appuser = org.id(c.rng, "0ua");
                let short = u.login.split('@').next().unwrap_or_default().to_string();
                ev.target = J::Arr(vec![
                    app_target(app, J::Obj(vec![("signOnModeType", s(app.mode))])),
                    target(&appuser, "AppUser", s(&u.login), s(short), J::Null),
                ]);
            }
            Kind::AuthViaMfa | Kind::Verify => {
                let ok = c.rng.chance(0.86);
                let (factor, key) = *c.rng.pick(FACTORS);
                if kind == Kind::AuthViaMfa {
                    ev.message = "Authentication of user via MFA".into();
                    ev.event_type = "user.authentication.auth_via_mfa".into();
                    ev.legacy = s(if ok {
                        "core.user.factor.attempt_success"
                    } else {
                        "core.user.factor.attempt_fail"
                    });
                } else {
                    ev.message = "Verify user identity".into();
                    ev.event_type = "user.authentication.verify".into();
                }
                ev.result = if ok { "SUCCESS" } else { "FAILURE" };
                ev.reason = if ok {
                    J::Null
                } else {
                    s(*c.rng.pick(&[
                        "INVALID_CREDENTIALS",
                        "FastPass declined phishing attempt",
                        "VERIFICATION_ERROR",
                    ]))
                };
                ev.auth = c.auth_ctx(
                    Some("FACTOR_PROVIDER"),
                    Some("OKTA_CREDENTIAL_PROVIDER"),
                    &session,
                );
                signin_debug(c, &mut debug, "/idp/idx/challenge/answer");
                debug.push(("factor", s(key)));
                debug.push(("factorIntent", s("AUTHENTICATION")));
                let enr = org.id(c.rng, "pfd");
                ev.target = J::Arr(vec![
                    user_target(u),
                    target(
                        &enr,
                        "AuthenticatorEnrollment",
                        s("unknown"),
                        s(factor),
                        J::Obj(vec![("methodTypeUsed", s(factor))]),
                    ),
                ]);
            }
            Kind::PolicyEval => {
                let r = *c
                    .rng
                    .weighted(&[(62, "ALLOW"), (30, "CHALLENGE"), (8, "DENY")]);
                ev.message = "Evaluation of sign-on policy".into();
                ev.event_type = "policy.evaluate_sign_on".into();
                ev.result = r;
                ev.reason = s(match r {
                    "ALLOW" => "Sign-on policy evaluation resulted in AUTHENTICATED",
                    "CHALLENGE" => "Sign-on policy evaluation resulted in CHALLENGE",
                    _ => "Sign-on policy evaluation resulted in DENY",
                });
                debug.push((
                    "redirectUri",
                    s(format!(
                        "https://{}.okta.com/enduser/callback",
                        org.subdomain
                    )),
                ));
                signin_debug(c, &mut debug, "/oauth2/v1/authorize");
                if r == "CHALLENGE" {
                    debug.push((
                        "challengeAuthenticatorsList",
                        s("[{Okta Verify : totp}, {Okta Verify : signed_nonce}, {Password : password}]"),
                    ));
                }
                let r1 = org.id(c.rng, "0pr");
                let r2 = org.id(c.rng, "rul");
                ev.target = J::Arr(vec![
                    app_target(
                        app,
                        J::Obj(vec![
                            ("signOnModeType", s(app.mode)),
                            ("signOnModeEvaluationResult", s(r)),
                        ]),
                    ),
                    target(
                        &r1,
                        "Rule",
                        s("Global session policy"),
                        s("Default Rule"),
                        J::Obj(vec![
                            ("policyName", s("Default Policy")),
                            ("policyRuleFactorMode", s("1FA")),
                        ]),
                    ),
                    target(
                        &r2,
                        "Rule",
                        s("Authentication policy"),
                        s("Catch-all Rule"),
                        J::Obj(vec![
                            ("policyName", s("Any two factors")),
                            ("policyRuleFactorMode", s("2FA")),
                        ]),
                    ),
                ]);
            }
            Kind::OAuthAuthorize | Kind::OAuthAccessToken | Kind::OAuthIdToken => {
                let ok = c.rng.chance(0.93);
                let (et, msg, tok) = match kind {
                    Kind::OAuthAuthorize => (
                        "app.oauth2.authorize.code",
                        "OAuth2 authorization code request",
                        ("authorization_code", "Authorization Code"),
                    ),
                    Kind::OAuthAccessToken => (
                        "app.oauth2.token.grant.access_token",
                        "OAuth2 access token is granted",
                        ("access_token", "Access Token"),
                    ),
                    _ => (
                        "app.oauth2.token.grant.id_token",
                        "OAuth2 id token is granted",
                        ("id_token", "ID Token"),
                    ),
                };
                ev.message = msg.into();
                ev.event_type = et.into();
                ev.result = if ok { "SUCCESS" } else { "FAILURE" };
                ev.reason = if ok {
                    J::Null
                } else {
                    s(*c.rng
                        .pick(&["invalid_grant", "invalid_client", "access_denied"]))
                };
                if c.rng.chance(0.35) {
                    // Machine-to-machine client.
                    ev.origin = c.api_origin();
                    ev.actor = J::Obj(vec![
                        ("id", s(&app.client_id)),
                        ("type", s("PublicClientApp")),
                        ("alternateId", s(&app.client_id)),
                        ("displayName", s(app.name)),
                        ("detailEntry", J::Null),
                    ]);
                }
                let state = c.rng.chars(B64URL, 32);
                let nonce = c.rng.chars(B64URL, 32);
                let challenge = c.rng.chars(B64URL, 43);
                let uri = if kind == Kind::OAuthAuthorize {
                    "/oauth2/v1/authorize"
                } else {
                    "/oauth2/v1/token"
                };
                debug.push(("requestUri", s(uri)));
                debug.push((
                    "grantType",
                    s(if kind == Kind::OAuthAuthorize {
                        "authorization_code"
                    } else {
                        *c.rng
                            .pick(&["authorization_code", "refresh_token", "client_credentials"])
                    }),
                ));
                let url = if kind == Kind::OAuthAuthorize {
                    format!(
                        "{uri}?response_type=code&response_mode=query&client_id={}&redirect_uri=https%3A%2F%2F{}.okta.com%2Fenduser%2Fcallback&scope=openid+profile+email&state={state}&nonce={nonce}&code_challenge={challenge}&code_challenge_method=S256",
                        app.client_id, org.subdomain
                    )
                } else {
                    format!("{uri}?")
                };
                debug.push(("url", s(url)));
                let prefix = match kind {
                    Kind::OAuthAuthorize => "oar",
                    Kind::OAuthAccessToken => "AT.",
                    _ => "ID.",
                };
                let tid = format!("{prefix}{}", c.rng.chars(B64URL, 40));
                let expires = rfc3339_ms(self.now_ms + 3_600_000);
                ev.target = J::Arr(vec![
                    target(
                        &tid,
                        tok.0,
                        s(tok.0),
                        s(tok.1),
                        J::Obj(vec![
                            ("expires", s(expires)),
                            ("subject", s(&u.id)),
                            ("hash", s(c.rng.chars(B64URL, 22))),
                        ]),
                    ),
                    app_target(app, J::Null),
                ]);
            }
            Kind::Lifecycle => {
                let (et, msg, legacy) = *c.rng.weighted(&[
                    (
                        30,
                        (
                            "user.lifecycle.create",
                            "Create Okta user",
                            "core.user.config.user_creation.success",
                        ),
                    ),
                    (
                        30,
                        (
                            "user.lifecycle.activate",
                            "Activate Okta user",
                            "core.user.config.user_activated",
                        ),
                    ),
                    (
                        15,
                        (
                            "user.lifecycle.deactivate",
                            "Deactivate Okta user",
                            "core.user.config.user_deactivated",
                        ),
                    ),
                    (
                        10,
                        (
                            "user.lifecycle.suspend",
                            "Suspend Okta user",
                            "core.user.config.user_suspended",
                        ),
                    ),
                    (
                        10,
                        (
                            "user.lifecycle.unsuspend",
                            "Unsuspend Okta user",
                            "core.user.config.user_unsuspended",
                        ),
                    ),
                    (
                        5,
                        (
                            "user.lifecycle.reactivate",
                            "Reactivate Okta user",
                            "core.user.config.user_reactivated",
                        ),
                    ),
                ]);
                let admin = &org.users[org.admins[c.rng.below(org.admins.len() as u64) as usize]];
                ev.actor = user_actor(admin);
                ev.message = msg.into();
                ev.event_type = et.into();
                ev.legacy = s(legacy);
                let uri = format!(
                    "/api/v1/users/{}/lifecycle/{}",
                    u.id,
                    et.rsplit('.').next().unwrap_or_default()
                );
                debug.push(("requestUri", s(&uri)));
                debug.push(("threatSuspected", s("false")));
                debug.push(("url", s(format!("{uri}?sendEmail=false"))));
                ev.target = J::Arr(vec![user_target(u)]);
            }
            Kind::PasswordUpdate => {
                let ok = c.rng.chance(0.9);
                ev.message = "User update password for Okta".into();
                ev.event_type = "user.account.update_password".into();
                ev.result = if ok { "SUCCESS" } else { "FAILURE" };
                ev.reason = if ok {
                    J::Null
                } else {
                    s("Password requirements were not met")
                };
                ev.legacy = s("core.user.config.password_update.success");
                debug.push(("requestUri", s("/idp/idx/challenge/answer")));
                debug.push(("url", s("/idp/idx/challenge/answer?")));
                ev.target = J::Arr(vec![user_target(u)]);
            }
            Kind::AccountLock => {
                ev.message = "Max sign in attempts exceeded".into();
                ev.event_type = "user.account.lock".into();
                ev.severity = "WARN";
                ev.reason = s("LOCKED_OUT");
                ev.legacy = s("core.user_auth.account_locked");
                debug.push(("requestUri", s("/idp/idx/identify")));
                debug.push(("url", s("/idp/idx/identify?")));
                ev.target = J::Arr(vec![user_target(u)]);
            }
            Kind::GroupAdd | Kind::GroupRemove => {
                let (gid, gname) = &org.groups[c.rng.below(org.groups.len() as u64) as usize];
                let add = kind == Kind::GroupAdd;
                ev.message = if add {
                    "Add user to group membership"
                } else {
                    "Remove user from group membership"
                }
                .into();
                ev.event_type = if add {
                    "group.user_membership.add"
                } else {
                    "group.user_membership.remove"
                }
                .into();
                ev.legacy = s(if add {
                    "core.user_group_member.user_add"
                } else {
                    "core.user_group_member.user_remove"
                });
                if c.rng.chance(0.4) {
                    ev.actor = system_actor(org);
                    ev.origin = c.agent_origin(0);
                    ev.transaction_type = "JOB";
                    debug.push(("triggeredByRule", s(format!("Assign {gname}"))));
                } else {
                    let admin =
                        &org.users[org.admins[c.rng.below(org.admins.len() as u64) as usize]];
                    ev.actor = user_actor(admin);
                    let uri = format!("/api/v1/groups/{gid}/users/{}", u.id);
                    debug.push(("requestUri", s(&uri)));
                    debug.push(("url", s(format!("{uri}?"))));
                }
                ev.target = J::Arr(vec![
                    user_target(u),
                    target(gid, "UserGroup", s("unknown"), s(*gname), J::Null),
                ]);
            }
            Kind::AgentAd => {
                let (et, msg) = *c.rng.pick(&[
                    ("system.agent.ad.connect", "AD agent connected"),
                    ("system.agent.ad.read_config", "AD agent read configuration"),
                    ("system.agent.ad.realtimesync", "AD agent real time sync"),
                    ("system.agent.ad.upgrade", "AD agent upgraded"),
                    ("system.agent.ad.reactivate", "AD agent reactivated"),
                ]);
                let ok = c.rng.chance(0.9);
                let ai = c.rng.below(org.ad_agents.len() as u64) as usize;
                let (aid, host, _) = &org.ad_agents[ai];
                ev.actor = system_actor(org);
                ev.origin = c.agent_origin(ai);
                ev.message = msg.into();
                ev.event_type = et.into();
                ev.result = if ok { "SUCCESS" } else { "FAILURE" };
                ev.reason = if ok {
                    J::Null
                } else {
                    s("Agent heartbeat timed out")
                };
                ev.severity = if ok { "INFO" } else { "WARN" };
                ev.transaction_type = "JOB";
                debug.push(("agentVersion", s("3.19.0")));
                debug.push(("agentHost", s(host)));
                ev.target = J::Arr(vec![
                    target(aid, "Agent", s(host), s(host), J::Null),
                    ad_app_target(org),
                ]);
            }
            Kind::PrivilegeGrant => {
                let (role, role_name) = *c.rng.pick(ROLES);
                let admin = &org.users[org.admins[0]];
                ev.actor = user_actor(admin);
                ev.message = "Grant user privilege".into();
                ev.event_type = "user.account.privilege.grant".into();
                ev.legacy = s("core.user.admin_privilege.granted");
                let uri = format!("/api/v1/users/{}/roles", u.id);
                debug.push(("requestUri", s(&uri)));
                debug.push(("privilegeGranted", s(role_name)));
                debug.push(("url", s(format!("{uri}?"))));
                let rid = c.rng.chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
                ev.target = J::Arr(vec![
                    user_target(u),
                    target(&rid, "ROLE", s(role), s(role_name), J::Null),
                ]);
            }
        }

        // Behaviour detection: about a third of user events carry logOnlySecurityData, many carry
        // the older behaviors text; sign-on policy evaluations too.
        if user_event || sign_in {
            let with_losd = c.rng.chance(if user_event { 0.34 } else { 0.25 });
            let with_text = c.rng.chance(if sign_in { 0.5 } else { 0.2 });
            if with_text {
                debug.push(("behaviors", s(behaviors_text(&beh))));
                debug.push(("risk", s(format!("{{level={}}}", beh.level))));
            }
            if with_losd {
                debug.push(("logOnlySecurityData", s(log_only_security_data(&beh))));
            }
        }
        ev.debug = debug;
        ev
    }
}

/// Sign-in flavoured debugData shared by the authentication events.
fn signin_debug(c: &mut Ctx, debug: &mut Vec<(&'static str, J)>, uri: &str) {
    if c.rng.chance(0.6) {
        debug.push(("authnRequestId", s(c.rng.chars(B64URL, 27))));
    }
    if c.rng.chance(0.5) {
        debug.push(("deviceFingerprint", s(c.rng.hex(32))));
    }
    debug.push(("dtHash", s(c.rng.hex(64))));
    debug.push(("requestUri", s(uri)));
    debug.push(("threatSuspected", s("false")));
    debug.push(("url", s(format!("{uri}?"))));
}

fn device_obj(c: &mut Ctx, a: &Agent) -> J {
    let (name, platform, version) = match a.os {
        "iOS" => ("iPhone16,2", "IOS", "18.5"),
        "Android 14" => ("Pixel 8", "ANDROID", "14"),
        "Windows 10" => ("DESKTOP-7F3K2QL", "WINDOWS", "10.0.19045"),
        _ => ("Mac15,6", "OSX", "15.5.0"),
    };
    J::Obj(vec![
        ("id", s(c.org.id(c.rng, "guo"))),
        ("name", s(name)),
        ("os_platform", s(platform)),
        ("os_version", s(version)),
        ("managed", J::Bool(c.rng.chance(0.6))),
        ("registered", J::Bool(true)),
        ("device_integrator", J::Null),
        ("disk_encryption_type", s("ALL_INTERNAL_VOLUMES")),
        ("screen_lock_type", s("BIOMETRIC")),
        ("jailbreak", J::Null),
        ("secure_hardware_present", J::Bool(true)),
    ])
}

// ---------------------------------------------------------------------------------------------
// The detection mix (--detections)
//
// Okta's detection catalogue (okta/customer-detections: 34 detections, 12 hunts) looks for events
// the default mix never writes: ITP risk detections, ThreatInsight, API tokens, log streams,
// protected actions, Okta Verify pushes and their answers, FastPass with its authenticator
// context, sign-ins through anonymising proxies, and the bursts its Splunk-only rules count (the
// same device or phone number registered to several users, ten apps opened in a minute, pushes
// rejected one after another, a session cookie replayed from another browser). With
// `--detections`, a second PRNG starts *scenarios* between the default events: one event, or a
// short burst whose events are due at given times and come out between the default events as the
// clock passes them. Most scenarios are the everyday events around a detection (the near misses
// that make a rule selective); a few are the attack or mistake it is written for. The default
// events are drawn exactly as without the flag: only their `published` moves later by the time
// the inserted events take.

/// Okta Verify on Android (the iOS one is `AGENTS[OKTA_VERIFY_IOS]`).
const OV_ANDROID: Agent = Agent {
    raw: "OktaVerify/9.41.1 (Android 14; Pixel 8)",
    os: "Android 14",
    browser: "UNKNOWN",
    device: "Mobile",
};
const OKTA_VERIFY_IOS: usize = 9;

/// Mail and Office clients that still use basic authentication.
const RICH_AGENTS: &[Agent] = &[
    Agent {
        raw: "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.4266; Pro)",
        os: "Windows 10",
        browser: "UNKNOWN",
        device: "Computer",
    },
    Agent {
        raw: "Microsoft Office/15.0 (Windows NT 6.1; Microsoft Outlook 15.0.5023; Pro)",
        os: "Windows 7",
        browser: "UNKNOWN",
        device: "Computer",
    },
    Agent {
        raw: "Apple-iPhone15C3/2205.258",
        os: "iOS",
        browser: "UNKNOWN",
        device: "Mobile",
    },
];

/// Apps of the cloud consoles, labelled with their account alias as admins do.
const CLOUD_APPS: &[&str] = &[
    "Amazon Web Services (aws-prod)",
    "Amazon Web Services (aws-sandbox)",
    "Google Cloud Platform (gcp-data)",
    "Microsoft Azure (azure-portal)",
];

/// Service accounts that call the API with a token: (login, name, token name, API agent).
const SERVICES: &[(&str, &str, &str, usize)] = &[
    ("svc-terraform", "Terraform Service", "terraform-ci", 3),
    ("svc-workday-sync", "Workday Sync", "workday-sync", 0),
    ("svc-scim-bridge", "SCIM Bridge", "scim-bridge", 1),
];

/// How an admin verified for the Admin Console: (method type, as the catalogue's
/// `target.detailEntry.MethodTypeUsed` names it; authenticator; `debugData.factor`).
const ADMIN_METHODS: &[(u32, (&str, &str, &str))] = &[
    (40, ("signed_nonce", "Okta Verify", "SIGNED_NONCE")),
    (25, ("push", "Okta Verify", "OKTA_VERIFY_PUSH")),
    (8, ("totp", "Okta Verify", "OKTA_VERIFY_TOTP")),
    (
        12,
        ("webauthn", "Security Key or Biometric", "FIDO_WEBAUTHN"),
    ),
    (6, ("password", "Password", "PASSWORD_AS_FACTOR")),
    (4, ("sms", "Phone", "SMS_FACTOR")),
    (3, ("email", "Email", "EMAIL_FACTOR")),
];

/// Admin roles as `debugData.privilegeGranted` spells them, and the role's target id and type.
const PRIVILEGES: &[(u32, (&str, &str))] = &[
    (1, ("Super administrator", "SuperOrgAdmin")),
    (1, ("Organization administrator", "OrgAdmin")),
    (2, ("Help Desk administrator", "HelpDeskAdmin")),
    (2, ("Read only administrator", "ReadOnlyAdmin")),
    (1, ("Application administrator", "AppAdmin")),
    (1, ("Group administrator", "UserAdmin")),
];

/// What stays the same for a user across the detection scenarios.
struct Persona {
    /// E.164 number of the user's SMS factor (unique in the org).
    phone: String,
    /// The user's computer: Okta device id, host name (the org's ORG-LT/MB/WS-NNNNN scheme, or
    /// the name a personal machine came with), platform, OS version.
    device_id: String,
    host: String,
    platform: &'static str,
    os_version: &'static str,
    /// Device-token hash of the user's browser (`debugData.dtHash`), the same in every session.
    dt_hash: String,
    /// Managed by the org (its own naming), not a personal machine.
    managed: bool,
    /// Okta Verify runs on an Android phone (else an iPhone).
    android: bool,
}

struct Service {
    user: User,
    token_id: String,
    token_name: &'static str,
    agent: usize,
}

/// The detection mix's view of the org: personas for its users, more apps, service accounts.
struct World {
    people: Vec<Persona>,
    cloud: Vec<App>,
    services: Vec<Service>,
    /// An extra AD agent that a scenario "creates".
    new_agent: (String, String),
    log_streams: Vec<(String, &'static str)>,
    idps: Vec<(String, &'static str)>,
}

const UPPER_NUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &[u8] = b"0123456789";

fn capitalised(x: &str) -> String {
    let mut cs = x.chars();
    cs.next()
        .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
        .unwrap_or_default()
}

impl World {
    fn new(r: &mut Rng, org: &Org) -> World {
        let tag = org.subdomain.to_ascii_uppercase();
        let mut phones: Vec<String> = Vec::new();
        let mut hosts: Vec<String> = Vec::new();
        let mut people = Vec::new();
        for u in &org.users {
            let cc = match PLACES[u.home].country {
                "United Kingdom" => "+44",
                "Germany" => "+49",
                "France" => "+33",
                "Australia" => "+61",
                "Brazil" => "+55",
                "Netherlands" => "+31",
                _ => "+1",
            };
            let phone = loop {
                let p = format!("{cc}{}{}", r.range(2, 9), r.chars(DIGITS, 9));
                if !phones.contains(&p) {
                    break p;
                }
            };
            phones.push(phone.clone());
            let (platform, os_version, code) = match AGENTS[u.agent].os {
                "Windows 10" => ("WINDOWS", "10.0.19045", "LT"),
                "Linux" => ("LINUX", "6.8.0", "WS"),
                _ => ("MACOS", "15.5.0", "MB"),
            };
            let first = ascii_login(u.name.split(' ').next().unwrap_or_default());
            let byod = r.chance(0.08);
            let host = if byod {
                match platform {
                    "WINDOWS" => format!("DESKTOP-{}", r.chars(UPPER_NUM, 7)),
                    "LINUX" => format!("{first}-thinkpad"),
                    _ => format!("{}s-MacBook-Pro", capitalised(&first)),
                }
            } else {
                loop {
                    let h = format!("{tag}-{code}-{}", r.chars(DIGITS, 5));
                    if !hosts.contains(&h) {
                        break h;
                    }
                }
            };
            hosts.push(host.clone());
            people.push(Persona {
                phone,
                device_id: org.id(r, "guo"),
                host,
                platform,
                os_version,
                dt_hash: r.hex(64),
                managed: !byod,
                android: r.chance(0.4),
            });
        }
        let cloud = CLOUD_APPS
            .iter()
            .map(|name| App {
                id: org.id(r, "0oa"),
                name,
                mode: "SAML_2_0",
                client_id: format!("0oa{}", r.alnum(17)),
            })
            .collect();
        let services = SERVICES
            .iter()
            .map(|(login, name, token_name, agent)| Service {
                user: User {
                    id: org.id(r, "00u"),
                    login: format!("{login}@{}", org.domain),
                    name: (*name).to_string(),
                    home: 16,
                    ip: ip_in(r, PLACES[16].net),
                    agent: 0,
                    office_worker: false,
                },
                token_id: org.id(r, "00T"),
                token_name,
                agent: *agent,
            })
            .collect();
        let new_agent = (org.id(r, "a53"), format!("DC03.corp.{}", org.domain));
        let log_streams = ["Splunk Cloud - SIEM", "AWS EventBridge - security-lake"]
            .iter()
            .map(|n| (org.id(r, "0oa"), *n))
            .collect();
        let idps = ["Partner Org2Org", "Contractor Azure AD"]
            .iter()
            .map(|n| (org.id(r, "0oa"), *n))
            .collect();
        World {
            people,
            cloud,
            services,
            new_agent,
            log_streams,
            idps,
        }
    }
}

/// Events of the scenarios under way, each due at a time (ms).
#[derive(Default)]
struct Queue(Vec<(i64, Ev)>);

impl Queue {
    fn at(&mut self, due: i64, ev: Ev) {
        self.0.push((due, ev));
    }
    /// The earliest event due by `now`, the first scheduled among equals.
    fn pop_due(&mut self, now: i64) -> Option<Ev> {
        let (i, (due, _)) = self.0.iter().enumerate().min_by_key(|(_, (d, _))| *d)?;
        (*due <= now).then(|| self.0.remove(i).1)
    }
}

struct Detections {
    rng: Rng,
    world: World,
    queue: Queue,
    /// For each of `SCENARIOS`, the step at which it starts next.
    next: Vec<u64>,
    /// Default events so far.
    step: u64,
}

type Scenario = fn(&mut Ctx, &World, &mut Queue, i64);

/// Scenarios and how often each recurs: about every `1_000_000 / rate` default events, give or
/// take half of that (so `rate` is per million default events; the 100 MB file has about 41,000,
/// so 100 is about 4 in the file). Recurring, not drawn at random each time: the first start is
/// within one interval, so a file of more default events than that has the scenario, whatever the
/// seed. Everyday ones first; the detection each
/// rare one is for is named in its comment.
const SCENARIOS: &[(u32, Scenario)] = &[
    // Admin Console
    (1000, sc_admin_console),
    (120, sc_admin_console_weak),   // admin_console_login_weak_mfa
    (150, sc_admin_console_denied), // access_to_admin_console_denied
    (50, sc_client_roaming),        // user_denied_access_due_to_session_binding
    (250, sc_protected_action),
    (75, sc_super_admin_password_reset), // protected_action_super_admin_password_reset
    (75, sc_protected_action_settings),  // protected_action_settings_update
    (250, sc_privilege),
    (100, sc_privilege_super), // new_super_admin_added_or_removed
    (75, sc_api_token_create), // new_api_token_created
    (50, sc_api_token_update),
    (75, sc_api_token_anywhere), // api_token_excessive_network_access
    (100, sc_log_stream),        // log_stream_tampering
    (75, sc_idp_create),         // new_idp_created
    (75, sc_idp_update),
    (75, sc_client_secret_read), // oauth_client_secret_read
    (300, sc_policy_rule_update),
    (75, sc_policy_mfa_downgrade), // authentication_policy_mfa_downgrade
    (200, sc_factor_reset),        // hunt_on_factor_resets
    (50, sc_ad_agent_create),      // new_ad_agent_created
    (250, sc_ad_import_users),     // hunt_ad_user_imported
    // API tokens at work
    (1500, sc_api_activity), // hunt_api_activity
    // Sign-in and MFA
    (4000, sc_push_mfa),
    (100, sc_push_wrong_number), // hunt_failed_number_challenge
    // mismatch_between_source_and_response_okta_verify_push, itp_brute_force,
    // suspicious_mfa_abandonment, hunt_rejected_MFA_pushes, hunt_mfa_abandonment:
    (75, sc_push_bombing),
    (2000, sc_fastpass),
    (150, sc_fastpass_suspicious_binary), // fastpass_auth_via_suspicious_binary
    (1000, sc_proxy_sign_in),             // hunt_sign_in_attempts_from_proxies
    (100, sc_proxy_sign_in_new_device),   // successful_authentication_via_new_device_and_proxy
    (250, sc_itp_risk),                   // itp_user_risk_changed_to_high
    (100, sc_itp_threat_intel),           // itp_okta_threat_intel_detection
    (75, sc_report_suspicious),           // user_reported_suspicious_activity
    (200, sc_identity_verification),
    (100, sc_identity_verification_denied), // hunt_failed_identity_verification
    (500, sc_rich_client),                  // hunt_rich_client_abuse
    (75, sc_password_spray),                // threat_insight_password_spray
    (75, sc_unknown_users_spray),           // threat_insight_high_unknown_users
    (75, sc_threat_other),
    (1500, sc_sms_verification),
    (75, sc_phone_shared), // phone_number_registered_to_multiple_users
    (1000, sc_device_enrollment),
    (75, sc_device_shared), // device_registered_to_multiple_users, device_enrolled_with_nonstandard_hostname
    // Apps and sessions
    (2000, sc_app_challenges),
    (75, sc_stolen_session_apps), // multiple_failed_requests_to_access_okta_applications
    (1500, sc_dashboard),
    (75, sc_dashboard_busy),
    (75, sc_rapid_app_access), // rapid_application_access
    (3000, sc_browser_session),
    (75, sc_cookie_replay), // suspicious_use_of_an_Okta_Session_Cookie, itp_suspected_session_hijacking
    (1500, sc_cloud_sso),
    (100, sc_cloud_sso_new_device), // hunt_cloud_infra_access
    (500, sc_password_reveal),      // hunt_app_password_reveal
    (750, sc_token_grant_failure),
    (100, sc_redirect_mismatch), // oauth_mismatched_redirect_uri
    (75, sc_opa_password_oob),   // opa_password_changed_oob
];

fn interval(rate: u32) -> u64 {
    1_000_000 / u64::from(rate)
}

impl Detections {
    fn new(seed: u64, org: &Org) -> Detections {
        // A stream of its own ("detectio"), so that the default events stay as they are.
        let mut rng = Rng(seed ^ 0x6465_7465_6374_696f);
        let world = World::new(&mut rng, org);
        let next = SCENARIOS
            .iter()
            .map(|(rate, _)| rng.range(1, interval(*rate)))
            .collect();
        Detections {
            rng,
            world,
            queue: Queue::default(),
            next,
            step: 0,
        }
    }

    /// One default event later: starts the scenarios whose turn it is, at `now`.
    fn step(&mut self, org: &Org, nodes: &[u64], now: i64) {
        self.step += 1;
        let c = &mut Ctx {
            rng: &mut self.rng,
            org,
            nodes,
        };
        for (i, (rate, f)) in SCENARIOS.iter().enumerate() {
            if self.next[i] <= self.step {
                f(c, &self.world, &mut self.queue, now);
                let iv = interval(*rate);
                self.next[i] = self.step + c.rng.range(iv / 2, iv + iv / 2);
            }
        }
    }
}

// --- building blocks ---------------------------------------------------------------------------

fn secs(c: &mut Ctx, lo: u64, hi: u64) -> i64 {
    c.rng.range(lo * 1000, hi * 1000) as i64
}

fn pick_user<'a>(c: &mut Ctx<'a>) -> (usize, &'a User) {
    let i = c.rng.below(c.org.users.len() as u64) as usize;
    (i, &c.org.users[i])
}

fn pick_admin<'a>(c: &mut Ctx<'a>) -> &'a User {
    let i = c.org.admins[c.rng.below(c.org.admins.len() as u64) as usize];
    &c.org.users[i]
}

/// A user who is not an admin.
fn pick_non_admin<'a>(c: &mut Ctx<'a>) -> (usize, &'a User) {
    loop {
        let (i, u) = pick_user(c);
        if !c.org.admins.contains(&i) {
            return (i, u);
        }
    }
}

/// A computer's browser, other than `not` in its OS or its browser when given.
fn computer_agent(c: &mut Ctx, not: Option<&Agent>) -> &'static Agent {
    loop {
        let a = &AGENTS[c.rng.below(7) as usize];
        match not {
            Some(b) if a.os == b.os && a.browser == b.browser => continue,
            _ => return a,
        }
    }
}

/// An anonymising proxy exit with a computer's browser.
fn proxy_origin(c: &mut Ctx, agent: Option<&'static Agent>) -> Origin {
    let place = c.rng.below(PROXIES.len() as u64) as usize;
    let ip = ip_in(c.rng, PROXIES[place].net);
    let agent = agent.unwrap_or_else(|| computer_agent(c, None));
    Origin {
        place,
        ip,
        agent,
        zone: s("null"),
        client_id: None,
        proxy: true,
    }
}

/// A hosting provider's address (the attackers' other favourite).
fn hosting_origin(c: &mut Ctx, agent: &'static Agent) -> Origin {
    let place = *c.rng.pick(&[16, 17]);
    Origin {
        place,
        ip: ip_in(c.rng, PLACES[place].net),
        agent,
        zone: s("null"),
        client_id: None,
        proxy: false,
    }
}

/// The user's phone answering a push: on the same Wi-Fi as the browser, or on the mobile network.
fn phone_origin(c: &mut Ctx, u: &User, p: &Persona, browser: &Origin) -> Origin {
    let agent = if p.android {
        &OV_ANDROID
    } else {
        &AGENTS[OKTA_VERIFY_IOS]
    };
    let (place, ip) = if !browser.proxy && c.rng.chance(0.55) {
        (browser.place, browser.ip.clone())
    } else {
        (u.home, ip_in(c.rng, PLACES[u.home].net))
    };
    Origin {
        place,
        ip,
        agent,
        zone: s("null"),
        client_id: None,
        proxy: false,
    }
}

fn service_origin(c: &mut Ctx, sv: &Service) -> Origin {
    Origin {
        place: sv.user.home,
        ip: sv.user.ip.clone(),
        agent: &API_AGENTS[sv.agent],
        zone: s("null"),
        client_id: Some(format!("0oa{}", c.rng.alnum(17))),
        proxy: false,
    }
}

/// Where `u` is now, at their computer's browser (the Admin Console is no phone's business).
fn desk_origin(c: &mut Ctx, u: &User) -> Origin {
    let mut o = c.origin_of(u);
    o.agent = &AGENTS[u.agent];
    if o.agent.device == "Mobile" {
        o.agent = &AGENTS[0];
    }
    o
}

fn same_origin(o: &Origin) -> Origin {
    Origin {
        place: o.place,
        ip: o.ip.clone(),
        agent: o.agent,
        zone: clone_j(&o.zone),
        client_id: o.client_id.clone(),
        proxy: o.proxy,
    }
}

/// An event of `actor` from `o` in `session`: SUCCESS, INFO, no target; the caller adds the rest.
fn new_ev(c: &mut Ctx, actor: J, o: Origin, session: &str, et: &str, msg: &str) -> Ev {
    Ev {
        actor,
        origin: o,
        device: J::Null,
        auth: c.auth_ctx(None, None, session),
        message: msg.into(),
        event_type: et.into(),
        result: "SUCCESS",
        reason: J::Null,
        severity: "INFO",
        debug: Vec::new(),
        legacy: J::Null,
        transaction_type: "WEB",
        transaction_id: None,
        transaction_detail: J::Obj(vec![]),
        target: J::Null,
    }
}

fn uri(debug: &mut Vec<(&'static str, J)>, u: &str) {
    debug.push(("requestUri", s(u)));
    debug.push(("url", s(format!("{u}?"))));
}

/// Sign-in debugData with the browser's own device-token hash.
fn signin_dt(c: &mut Ctx, debug: &mut Vec<(&'static str, J)>, u: &str, dt: &str) {
    if c.rng.chance(0.6) {
        debug.push(("authnRequestId", s(c.rng.chars(B64URL, 27))));
    }
    if c.rng.chance(0.5) {
        debug.push(("deviceFingerprint", s(c.rng.hex(32))));
    }
    debug.push(("dtHash", s(dt)));
    debug.push(("requestUri", s(u)));
    debug.push(("threatSuspected", s("false")));
    debug.push(("url", s(format!("{u}?"))));
}

/// Behaviour detection with chosen answers (velocity never positive).
fn forced(new_device: bool, new_ip: bool, new_geo: bool) -> Behaviors {
    let p = |b: bool| if b { "POSITIVE" } else { "NEGATIVE" };
    let (level, reasons) = match (new_device, new_geo) {
        (true, true) => ("HIGH", Some("Anomalous Device, Anomalous Location")),
        (true, false) => ("MEDIUM", Some("Anomalous Device")),
        (false, true) => ("MEDIUM", Some("Anomalous Location")),
        _ => ("LOW", None),
    };
    Behaviors {
        values: [
            p(new_geo),
            p(new_device),
            p(new_ip),
            p(new_geo),
            p(new_geo),
            "NEGATIVE",
            p(new_geo),
        ],
        level,
        reasons,
    }
}

fn with_behaviors(debug: &mut Vec<(&'static str, J)>, b: &Behaviors) {
    debug.push(("behaviors", s(behaviors_text(b))));
    debug.push(("risk", s(format!("{{level={}}}", b.level))));
}

fn admin_console_app(org: &Org) -> &App {
    &org.apps[11]
}

fn policy_targets(c: &mut Ctx, app: &App, result: &str, factor_mode: &str) -> J {
    let r1 = c.org.id(c.rng, "0pr");
    let r2 = c.org.id(c.rng, "rul");
    J::Arr(vec![
        app_target(
            app,
            J::Obj(vec![
                ("signOnModeType", s(app.mode)),
                ("signOnModeEvaluationResult", s(result)),
            ]),
        ),
        target(
            &r1,
            "Rule",
            s("Global session policy"),
            s("Default Rule"),
            J::Obj(vec![
                ("policyName", s("Default Policy")),
                ("policyRuleFactorMode", s("1FA")),
            ]),
        ),
        target(
            &r2,
            "Rule",
            s("Authentication policy"),
            s("Catch-all Rule"),
            J::Obj(vec![
                ("policyName", s("Any two factors")),
                ("policyRuleFactorMode", s(factor_mode)),
            ]),
        ),
    ])
}

/// `policy.evaluate_sign_on` for `app`, with the browser's device-token hash.
#[allow(clippy::too_many_arguments)]
fn policy_eval(
    c: &mut Ctx,
    u: &User,
    o: Origin,
    session: &str,
    dt: &str,
    app: &App,
    result: &'static str,
    beh: Option<&Behaviors>,
) -> Ev {
    let mut e = new_ev(
        c,
        user_actor(u),
        o,
        session,
        "policy.evaluate_sign_on",
        "Evaluation of sign-on policy",
    );
    e.result = result;
    e.reason = s(match result {
        "ALLOW" => "Sign-on policy evaluation resulted in AUTHENTICATED",
        "CHALLENGE" => "Sign-on policy evaluation resulted in CHALLENGE",
        _ => "Sign-on policy evaluation resulted in DENY",
    });
    e.debug.push((
        "redirectUri",
        s(format!(
            "https://{}.okta.com/enduser/callback",
            c.org.subdomain
        )),
    ));
    signin_dt(c, &mut e.debug, "/oauth2/v1/authorize", dt);
    if let Some(b) = beh {
        with_behaviors(&mut e.debug, b);
    }
    if result == "CHALLENGE" {
        e.debug.push((
            "challengeAuthenticatorsList",
            s("[{Okta Verify : totp}, {Okta Verify : signed_nonce}, {Password : password}]"),
        ));
    }
    e.target = policy_targets(c, app, result, "2FA");
    e
}

/// `user.authentication.sso` to `app`.
fn sso(
    c: &mut Ctx,
    u: &User,
    o: Origin,
    session: &str,
    app: &App,
    initiation: Option<&'static str>,
) -> Ev {
    let mut e = new_ev(
        c,
        user_actor(u),
        o,
        session,
        "user.authentication.sso",
        "User single sign on to app",
    );
    e.legacy = s("app.auth.sso");
    let u_ = format!(
        "/app/{}/{}/sso/saml",
        app.name.to_lowercase().replace(' ', "_"),
        app.id
    );
    signin_debug(c, &mut e.debug, &u_);
    if let Some(i) = initiation {
        e.debug.push(("initiationType", s(i)));
    }
    let appuser = c.org.id(c.rng, "0ua");
    let short = u.login.split('@').next().unwrap_or_default().to_string();
    e.target = J::Arr(vec![
        app_target(app, J::Obj(vec![("signOnModeType", s(app.mode))])),
        target(&appuser, "AppUser", s(&u.login), s(short), J::Null),
    ]);
    e
}

fn enrollment(c: &mut Ctx, authenticator: &str, detail: J) -> J {
    let enr = c.org.id(c.rng, "pfd");
    target(
        &enr,
        "AuthenticatorEnrollment",
        s("unknown"),
        s(authenticator),
        detail,
    )
}

/// An MFA event (`user.authentication.verify` or `.auth_via_mfa`) with `factor`.
#[allow(clippy::too_many_arguments)]
fn mfa(
    c: &mut Ctx,
    u: &User,
    o: Origin,
    session: &str,
    et: &str,
    factor: &str,
    enrollment_target: J,
    app: Option<&App>,
) -> Ev {
    let msg = if et == "user.authentication.verify" {
        "Verify user identity"
    } else {
        "Authentication of user via MFA"
    };
    let mut e = new_ev(c, user_actor(u), o, session, et, msg);
    e.auth = c.auth_ctx(
        Some("FACTOR_PROVIDER"),
        Some("OKTA_CREDENTIAL_PROVIDER"),
        session,
    );
    if et == "user.authentication.auth_via_mfa" {
        e.legacy = s("core.user.factor.attempt_success");
    }
    signin_debug(c, &mut e.debug, "/idp/idx/challenge/answer");
    e.debug.push(("factor", s(factor)));
    e.debug.push(("factorIntent", s("AUTHENTICATION")));
    let mut t = vec![user_target(u), enrollment_target];
    if let Some(a) = app {
        t.push(app_target(a, J::Null));
    }
    e.target = J::Arr(t);
    e
}

fn fail(e: &mut Ev, reason: &str) {
    e.result = "FAILURE";
    e.reason = s(reason);
    if e.event_type == "user.authentication.auth_via_mfa" {
        e.legacy = s("core.user.factor.attempt_fail");
    }
}

/// An admin's request in the Admin Console (`/api/v1/...` behind it).
fn admin_ev(c: &mut Ctx, admin: &User, et: &str, msg: &str, path: &str) -> Ev {
    let o = desk_origin(c, admin);
    let session = c.session_id();
    let mut e = new_ev(c, user_actor(admin), o, &session, et, msg);
    uri(&mut e.debug, path);
    e
}

// --- Admin Console -----------------------------------------------------------------------------

/// An admin opens the Admin Console: the app's policy asks for a second factor, the admin verifies
/// (with a weak factor now and then), the console opens.
fn sc_admin_console(c: &mut Ctx, w: &World, q: &mut Queue, t: i64) {
    admin_console(c, w, q, t, &ADMIN_METHODS[..4]);
}

/// The same with a weak factor: password, SMS or e-mail.
fn sc_admin_console_weak(c: &mut Ctx, w: &World, q: &mut Queue, t: i64) {
    admin_console(c, w, q, t, &ADMIN_METHODS[4..]);
}

fn admin_console(
    c: &mut Ctx,
    w: &World,
    q: &mut Queue,
    t: i64,
    methods: &[(u32, (&'static str, &'static str, &'static str))],
) {
    let ai = c.org.admins[c.rng.below(c.org.admins.len() as u64) as usize];
    let u = &c.org.users[ai];
    let p = &w.people[ai];
    let app = admin_console_app(c.org);
    let o = desk_origin(c, u);
    let session = c.session_id();
    let known = forced(false, false, false);
    let e = policy_eval(
        c,
        u,
        same_origin(&o),
        &session,
        &p.dt_hash,
        app,
        "CHALLENGE",
        Some(&known),
    );
    q.at(t, e);
    let (method, authenticator, factor) = *c.rng.weighted(methods);
    let enr = enrollment(
        c,
        authenticator,
        J::Obj(vec![("MethodTypeUsed", s(method))]),
    );
    let e = mfa(
        c,
        u,
        same_origin(&o),
        &session,
        "user.authentication.verify",
        factor,
        enr,
        Some(app),
    );
    let t = t + secs(c, 4, 25);
    q.at(t, e);
    let mut e = new_ev(
        c,
        user_actor(u),
        o,
        &session,
        "user.session.access_admin_app",
        "User accessing Okta admin app",
    );
    e.legacy = s("app.admin.sso.login.success");
    uri(&mut e.debug, "/admin/sso/callback");
    e.target = J::Arr(vec![app_target(app, J::Null)]);
    q.at(t + secs(c, 1, 3), e);
}

/// A user without an admin role opens the Admin Console's address.
fn sc_admin_console_denied(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let (_, u) = pick_non_admin(c);
    let o = c.origin_of(u);
    let session = c.session_id();
    let mut e = new_ev(
        c,
        user_actor(u),
        o,
        &session,
        "user.session.access_admin_app",
        "User accessing Okta admin app",
    );
    e.result = "FAILURE";
    e.reason = s("User is not assigned an administrator role");
    e.severity = "WARN";
    e.legacy = s("app.admin.sso.login.failure");
    uri(&mut e.debug, "/admin/sso/request");
    e.target = J::Arr(vec![app_target(admin_console_app(c.org), J::Null)]);
    q.at(t, e);
}

/// An admin's session moves to another network (ASN) mid-session, and Okta ends it.
fn sc_client_roaming(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let u = pick_admin(c);
    let o = if c.rng.chance(0.5) {
        proxy_origin(c, Some(&AGENTS[u.agent]))
    } else {
        let p = c.rng.below(PLACES.len() as u64) as usize;
        Origin {
            place: p,
            ip: ip_in(c.rng, PLACES[p].net),
            agent: &AGENTS[u.agent],
            zone: s("null"),
            client_id: None,
            proxy: false,
        }
    };
    roaming(c, u, o, q, t);
}

fn roaming(c: &mut Ctx, u: &User, o: Origin, q: &mut Queue, t: i64) {
    let session = c.session_id();
    let mut e = new_ev(
        c,
        user_actor(u),
        o,
        &session,
        "security.session.detect_client_roaming",
        "Session roaming detected",
    );
    e.result = "FAILURE";
    e.reason = s("Network (ASN) of the session changed");
    e.severity = "WARN";
    uri(&mut e.debug, "/admin/dashboard");
    e.target = J::Arr(vec![user_target(u)]);
    q.at(t, e);
}

fn sc_protected_action(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let action = *c.rng.pick(&[
        "Create API token",
        "Modify global session policy",
        "Deactivate user",
        "Assign admin role",
        "Reset passwords",
    ]);
    protected_action(c, q, t, action);
}

fn sc_super_admin_password_reset(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    protected_action(c, q, t, "Reset passwords for super admins");
}

fn protected_action(c: &mut Ctx, q: &mut Queue, t: i64, action: &str) {
    let u = pick_admin(c);
    let mut e = admin_ev(
        c,
        u,
        "security.protected_action.attempt",
        "Protected action attempted",
        "/api/v1/protected-actions/attempt",
    );
    let ok = c.rng.chance(0.9);
    if !ok {
        e.result = "FAILURE";
        e.reason = s("Re-authentication failed");
    }
    let id = c.org.id(c.rng, "pac");
    e.target = J::Arr(vec![
        target(&id, "ProtectedAction", s("unknown"), s(action), J::Null),
        user_target(u),
    ]);
    q.at(t, e);
}

fn sc_protected_action_settings(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let u = pick_admin(c);
    let mut e = admin_ev(
        c,
        u,
        "security.protected_action.settings.update",
        "Protected action settings updated",
        "/api/v1/protected-actions/settings",
    );
    e.target = J::Arr(vec![target(
        "ProtectedActionSettings",
        "ProtectedActionSettings",
        s("unknown"),
        s("Protected actions"),
        J::Null,
    )]);
    q.at(t, e);
}

fn sc_privilege(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    privilege(c, q, t, &PRIVILEGES[2..]);
}

/// A super or organization administrator granted or revoked.
fn sc_privilege_super(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    privilege(c, q, t, &PRIVILEGES[..2]);
}

fn privilege(c: &mut Ctx, q: &mut Queue, t: i64, roles: &[(u32, (&'static str, &'static str))]) {
    let admin = &c.org.users[c.org.admins[0]];
    let (_, u) = pick_user(c);
    let (role, role_id) = *c.rng.weighted(roles);
    let grant = c.rng.chance(0.7);
    let (et, msg, key, legacy) = if grant {
        (
            "user.account.privilege.grant",
            "Grant user privilege",
            "privilegeGranted",
            "core.user.admin_privilege.granted",
        )
    } else {
        (
            "user.account.privilege.revoke",
            "Revoke user privilege",
            "privilegeRevoked",
            "core.user.admin_privilege.revoked",
        )
    };
    let mut e = admin_ev(c, admin, et, msg, &format!("/api/v1/users/{}/roles", u.id));
    e.debug.push((key, s(role)));
    e.legacy = s(legacy);
    let alt = c.rng.chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 18);
    e.target = J::Arr(vec![
        user_target(u),
        target(
            if grant {
                "ROLE_ASSIGNED"
            } else {
                "ROLE_REVOKED"
            },
            if grant {
                "ROLE_ASSIGNED"
            } else {
                "ROLE_REVOKED"
            },
            s("unknown"),
            s(if grant {
                "Role Assigned"
            } else {
                "Role Revoked"
            }),
            J::Null,
        ),
        target(role_id, "ROLE", s(alt), s(role), J::Null),
    ]);
    q.at(t, e);
}

fn token_target(id: &str, name: &str) -> J {
    target(id, "Token", s("unknown"), s(name), J::Null)
}

fn sc_api_token_create(c: &mut Ctx, w: &World, q: &mut Queue, t: i64) {
    api_token(c, w, q, t, true, false);
}

fn sc_api_token_update(c: &mut Ctx, w: &World, q: &mut Queue, t: i64) {
    api_token(c, w, q, t, false, false);
}

/// A token created or changed to be usable from any network.
fn sc_api_token_anywhere(c: &mut Ctx, w: &World, q: &mut Queue, t: i64) {
    let create = c.rng.chance(0.5);
    api_token(c, w, q, t, create, true);
}

fn api_token(c: &mut Ctx, w: &World, q: &mut Queue, t: i64, create: bool, anywhere: bool) {
    let u = pick_admin(c);
    let mut e = if create {
        let id = c.org.id(c.rng, "00T");
        let name = *c.rng.pick(&[
            "jamf-connector",
            "okta-workflows",
            "siem-reader",
            "backup-export",
            "helpdesk-bot",
        ]);
        let mut e = admin_ev(
            c,
            u,
            "system.api_token.create",
            "Create API token",
            "/api/internal/tokens",
        );
        e.legacy = s("api.token.create");
        e.target = J::Arr(vec![token_target(&id, name)]);
        e
    } else {
        let sv = &w.services[c.rng.below(w.services.len() as u64) as usize];
        let mut e = admin_ev(
            c,
            u,
            "system.api_token.update",
            "Update API token",
            &format!("/api/internal/tokens/{}", sv.token_id),
        );
        e.target = J::Arr(vec![token_target(&sv.token_id, sv.token_name)]);
        e
    };
    e.debug.push((
        "networkConnection",
        s(if anywhere { "ANYWHERE" } else { "ZONE" }),
    ));
    q.at(t, e);
}

fn sc_log_stream(c: &mut Ctx, w: &World, q: &mut Queue, t: i64) {
    let u = pick_admin(c);
    let (id, name) = &w.log_streams[c.rng.below(w.log_streams.len() as u64) as usize];
    let (verb, msg) = *c.rng.weighted(&[
        (3, ("update", "Update log stream")),
        (2, ("deactivate", "Deactivate log stream")),
        (2, ("activate", "Activate log stream")),
        (1, ("create", "Create log stream")),
        (1, ("delete", "Delete log stream")),
    ]);
    let path = match verb {
        "create" => "/api/v1/logStreams".to_string(),
        "update" | "delete" => format!("/api/v1/logStreams/{id}"),
        _ => format!("/api/v1/logStreams/{id}/lifecycle/{verb}"),
    };
    let mut e = admin_ev(
        c,
        u,
        &format!("system.log_stream.lifecycle.{verb}"),
        msg,
        &path,
    );
    e.target = J::Arr(vec![target(
        id,
        "LogStream",
        s("unknown"),
        s(*name),
        J::Null,
    )]);
    q.at(t, e);
}

fn idp_ev(c: &mut Ctx, w: &World, et: &str, msg: &str) -> Ev {
    let u = pick_admin(c);
    let (id, name) = &w.idps[c.rng.below(w.idps.len() as u64) as usize];
    let mut e = admin_ev(c, u, et, msg, &format!("/api/v1/idps/{id}"));
    e.target = J::Arr(vec![target(
        id,
        "IdentityProvider",
        s("SAML2"),
        s(*name),
        J::Null,
    )]);
    e
}

fn sc_idp_create(c: &mut Ctx, w: &World, q: &mut Queue, t: i64) {
    let e = idp_ev(
        c,
        w,
        "system.idp.lifecycle.create",
        "Create identity provider",
    );
    q.at(t, e);
}

fn sc_idp_update(c: &mut Ctx, w: &World, q: &mut Queue, t: i64) {
    let (et, msg) = *c.rng.pick(&[
        ("system.idp.lifecycle.update", "Update identity provider"),
        (
            "system.idp.lifecycle.activate",
            "Activate identity provider",
        ),
    ]);
    let e = idp_ev(c, w, et, msg);
    q.at(t, e);
}

fn sc_client_secret_read(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let u = pick_admin(c);
    let app = &c.org.apps[12];
    let mut e = admin_ev(
        c,
        u,
        "app.oauth2.client.read_client_secret",
        "OAuth client secret read",
        &format!("/api/v1/apps/{}/credentials/secrets", app.id),
    );
    e.target = J::Arr(vec![app_target(app, J::Null)]);
    q.at(t, e);
}

/// `policyRuleActionJson` of an app sign-in rule.
fn rule_action(factor_mode: &str, reauth: &str) -> String {
    format!(
        "{{\"appSignOn\":{{\"access\":\"ALLOW\",\"verificationMethod\":{{\"factorMode\":\"{factor_mode}\",\"type\":\"ASSURANCE\",\"reauthenticateIn\":\"{reauth}\",\"constraints\":[{{\"knowledge\":{{\"types\":[\"password\"]}}}}]}}}}}}"
    )
}

fn rule_update(c: &mut Ctx, q: &mut Queue, t: i64, from: String, to: String) {
    let u = pick_admin(c);
    let policy = c.org.id(c.rng, "rst");
    let rule = c.org.id(c.rng, "rul");
    let mut e = admin_ev(
        c,
        u,
        "policy.rule.update",
        "Update policy rule",
        &format!("/api/v1/policies/{policy}/rules/{rule}"),
    );
    e.legacy = s("policy.rule.updated");
    let (pname, rname) = *c.rng.pick(&[
        ("Password manager", "Employees on managed devices"),
        ("AWS consoles", "Engineering"),
        ("Okta Dashboard", "Everyone"),
        ("Salesforce", "Sales team"),
    ]);
    e.target = J::Arr(vec![
        target(
            &policy,
            "PolicyEntity",
            s("unknown"),
            s(pname),
            J::Obj(vec![("policyType", s("ACCESS_POLICY"))]),
        ),
        J::Obj(vec![
            ("id", s(&rule)),
            ("type", s("PolicyRule")),
            ("alternateId", s(&policy)),
            ("displayName", s(rname)),
            ("detailEntry", J::Null),
            (
                "changeDetails",
                J::Obj(vec![
                    ("from", J::Obj(vec![("policyRuleActionJson", s(from))])),
                    ("to", J::Obj(vec![("policyRuleActionJson", s(to))])),
                ]),
            ),
        ]),
    ]);
    q.at(t, e);
}

/// An admin edits an app sign-in rule: re-authentication period, or 1FA to 2FA.
fn sc_policy_rule_update(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let (from, to) = if c.rng.chance(0.7) {
        let mode = *c.rng.pick(&["1FA", "2FA"]);
        (rule_action(mode, "PT2H"), rule_action(mode, "PT12H"))
    } else {
        (rule_action("1FA", "PT2H"), rule_action("2FA", "PT2H"))
    };
    rule_update(c, q, t, from, to);
}

/// An app sign-in rule goes from two factors to one.
fn sc_policy_mfa_downgrade(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let reauth = *c.rng.pick(&["PT2H", "PT12H"]);
    let (from, to) = (rule_action("2FA", reauth), rule_action("1FA", reauth));
    rule_update(c, q, t, from, to);
}

fn sc_factor_reset(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let admin = pick_admin(c);
    let (_, u) = pick_user(c);
    let mut e = admin_ev(
        c,
        admin,
        "user.mfa.factor.reset_all",
        "Reset all factors for user",
        &format!("/api/v1/users/{}/lifecycle/reset_factors", u.id),
    );
    e.legacy = s("core.user.factor.reset_all");
    e.target = J::Arr(vec![user_target(u)]);
    q.at(t, e);
}

fn agent_target(w: &World) -> J {
    target(
        &w.new_agent.0,
        "Agent",
        s(&w.new_agent.1),
        s(&w.new_agent.1),
        J::Null,
    )
}

fn sc_ad_agent_create(c: &mut Ctx, w: &World, q: &mut Queue, t: i64) {
    let u = pick_admin(c);
    let mut e = admin_ev(
        c,
        u,
        "system.agent.ad.create",
        "Create AD agent",
        "/api/internal/v1/agents",
    );
    e.target = J::Arr(vec![agent_target(w), ad_app_target(c.org)]);
    q.at(t, e);
}

/// The AD agent imports a few users, one event each.
fn sc_ad_import_users(c: &mut Ctx, _w: &World, q: &mut Queue, mut t: i64) {
    let ai = c.rng.below(c.org.ad_agents.len() as u64) as usize;
    for _ in 0..c.rng.range(1, 4) {
        let (_, u) = pick_user(c);
        let o = c.agent_origin(ai);
        let session = c.session_id();
        let mut e = new_ev(
            c,
            system_actor(c.org),
            o,
            &session,
            "system.agent.ad.import_user",
            "Import user from Active Directory",
        );
        e.transaction_type = "JOB";
        e.debug.push(("agentHost", s(&c.org.ad_agents[ai].1)));
        let (aid, host, _) = &c.org.ad_agents[ai];
        e.target = J::Arr(vec![
            user_target(u),
            target(aid, "Agent", s(host), s(host), J::Null),
        ]);
        q.at(t, e);
        t += secs(c, 1, 6);
    }
}

// --- API tokens at work ------------------------------------------------------------------------

/// A service account's job: a few calls with its API token (`transaction.detail.requestApiTokenId`).
fn sc_api_activity(c: &mut Ctx, w: &World, q: &mut Queue, mut t: i64) {
    let sv = &w.services[c.rng.below(w.services.len() as u64) as usize];
    for _ in 0..c.rng.range(1, 6) {
        let (_, u) = pick_user(c);
        let (gid, gname) = &c.org.groups[c.rng.below(c.org.groups.len() as u64) as usize];
        let o = service_origin(c, sv);
        let session = c.session_id();
        let (et, msg, path) = *c.rng.weighted(&[
            (
                4,
                (
                    "user.account.update_profile",
                    "Update user profile for Okta",
                    "",
                ),
            ),
            (
                3,
                (
                    "group.user_membership.add",
                    "Add user to group membership",
                    "groups",
                ),
            ),
            (1, ("user.lifecycle.create", "Create Okta user", "")),
            (
                1,
                (
                    "user.lifecycle.activate",
                    "Activate Okta user",
                    "lifecycle/activate",
                ),
            ),
            (
                1,
                (
                    "user.lifecycle.deactivate",
                    "Deactivate Okta user",
                    "lifecycle/deactivate",
                ),
            ),
        ]);
        let mut e = new_ev(c, user_actor(&sv.user), o, &session, et, msg);
        let p = match path {
            "groups" => format!("/api/v1/groups/{gid}/users/{}", u.id),
            "" => format!("/api/v1/users/{}", u.id),
            x => format!("/api/v1/users/{}/{x}", u.id),
        };
        uri(&mut e.debug, &p);
        e.transaction_detail = J::Obj(vec![("requestApiTokenId", s(&sv.token_id))]);
        if c.rng.chance(0.04) {
            e.result = "FAILURE";
            e.reason = s("E0000001: Api validation failed");
        }
        e.target = if path == "groups" {
            J::Arr(vec![
                user_target(u),
                target(gid, "UserGroup", s("unknown"), s(*gname), J::Null),
            ])
        } else {
            J::Arr(vec![user_target(u)])
        };
        q.at(t, e);
        t += secs(c, 0, 4);
    }
}

// --- Sign-in and MFA ---------------------------------------------------------------------------

fn push_send(c: &mut Ctx, u: &User, o: Origin, session: &str, dt: &str, b: &Behaviors) -> Ev {
    let mut e = new_ev(
        c,
        user_actor(u),
        o,
        session,
        "system.push.send_factor_verify_push",
        "Okta Verify push notification sent",
    );
    signin_dt(c, &mut e.debug, "/idp/idx/challenge", dt);
    e.debug.push(("factor", s("OKTA_VERIFY_PUSH")));
    with_behaviors(&mut e.debug, b);
    let enr = enrollment(c, "Okta Verify", J::Null);
    e.target = J::Arr(vec![user_target(u), enr]);
    e
}

#[derive(Clone, Copy, PartialEq)]
enum Answer {
    Approve,
    ApproveNumber,
    Deny,
    WrongNumber,
    Unanswered,
    Abandoned,
}

/// The outcome of a push, from the phone (approve, deny) or from the sign-in (no answer).
fn push_answer(c: &mut Ctx, u: &User, o: Origin, session: &str, a: Answer) -> Ev {
    let enr = enrollment(
        c,
        "Okta Verify",
        J::Obj(vec![("methodTypeUsed", s("Okta Verify"))]),
    );
    let mut e = mfa(
        c,
        u,
        o,
        session,
        "user.authentication.auth_via_mfa",
        "OKTA_VERIFY_PUSH",
        enr,
        None,
    );
    match a {
        Answer::Approve => e
            .debug
            .push(("pushOnlyResponseType", s("OV_RESPONSE_APPROVE"))),
        Answer::ApproveNumber => e.debug.push((
            "pushWithNumberChallengeResponseType",
            s("OV_WITH_CHALLENGE_RESPONSE_VALID"),
        )),
        Answer::Deny => {
            fail(&mut e, "User rejected Okta Verify push");
            e.debug
                .push(("pushOnlyResponseType", s("OV_RESPONSE_DENY")));
        }
        Answer::WrongNumber => {
            fail(&mut e, "VERIFICATION_ERROR");
            e.debug.push((
                "pushWithNumberChallengeResponseType",
                s("OV_WITH_CHALLENGE_RESPONSE_INVALID"),
            ));
        }
        Answer::Unanswered | Answer::Abandoned => {
            e.result = if a == Answer::Unanswered {
                "UNANSWERED"
            } else {
                "ABANDONED"
            };
            e.reason = s("User did not respond to the MFA challenge");
            e.legacy = J::Null;
        }
    }
    e
}

/// A sign-in with an Okta Verify push, answered on the user's phone (now and then denied by
/// mistake, the wrong number picked, or left unanswered).
fn sc_push_mfa(c: &mut Ctx, w: &World, q: &mut Queue, t: i64) {
    let a = *c.rng.weighted(&[
        (45, Answer::Approve),
        (45, Answer::ApproveNumber),
        (3, Answer::Deny),
        (1, Answer::WrongNumber),
        (4, Answer::Unanswered),
        (2, Answer::Abandoned),
    ]);
    push_mfa(c, w, q, t, a);
}

/// The wrong number picked in a number challenge.
fn sc_push_wrong_number(c: &mut Ctx, w: &World, q: &mut Queue, t: i64) {
    push_mfa(c, w, q, t, Answer::WrongNumber);
}

fn push_mfa(c: &mut Ctx, w: &World, q: &mut Queue, t: i64, a: Answer) {
    let (ui, u) = pick_user(c);
    let p = &w.people[ui];
    let mut o = c.origin_of(u);
    o.agent = &AGENTS[u.agent];
    let travelling = o.place != u.home;
    let session = c.session_id();
    let b = behaviors(c.rng, travelling);
    let phone = phone_origin(c, u, p, &o);
    let e = push_send(c, u, same_origin(&o), &session, &p.dt_hash, &b);
    q.at(t, e);
    let from = if matches!(a, Answer::Unanswered | Answer::Abandoned) {
        o
    } else {
        phone
    };
    let e = push_answer(c, u, from, &session, a);
    let after = if matches!(a, Answer::Unanswered | Answer::Abandoned) {
        secs(c, 60, 300)
    } else {
        secs(c, 3, 30)
    };
    q.at(t + after, e);
}

fn risk_event(
    c: &mut Ctx,
    u: &User,
    o: Origin,
    prev: &str,
    level: &str,
    name: &str,
    why: &str,
) -> Ev {
    let session = c.session_id();
    let mut e = new_ev(
        c,
        system_actor(c.org),
        o,
        &session,
        "user.risk.detect",
        "User risk detected",
    );
    e.severity = if level == "HIGH" { "WARN" } else { "INFO" };
    e.transaction_type = "JOB";
    e.debug.push((
        "risk",
        s(format!(
            "{{previousLevel={prev}, level={level}, detectionName={name}, reasons={why}, issuer=OKTA}}"
        )),
    ));
    e.target = J::Arr(vec![user_target(u)]);
    e
}

/// MFA fatigue: with the user's password, an attacker behind a proxy sends push after push; the
/// user denies them or lets them lapse, and may give in at the end. ITP raises the user's risk.
fn sc_push_bombing(c: &mut Ctx, w: &World, q: &mut Queue, mut t: i64) {
    let (ui, u) = pick_user(c);
    let p = &w.people[ui];
    let att = proxy_origin(c, None);
    let session = c.session_id();
    let dt = c.rng.hex(64);
    let b = forced(true, true, true);
    // The password was right.
    let enr = enrollment(
        c,
        "Password",
        J::Obj(vec![("methodTypeUsed", s("Password"))]),
    );
    let mut e = mfa(
        c,
        u,
        same_origin(&att),
        &session,
        "user.authentication.verify",
        "PASSWORD_AS_FACTOR",
        enr,
        None,
    );
    with_behaviors(&mut e.debug, &b);
    q.at(t, e);
    let ignoring = c.rng.chance(0.5);
    let pushes = c.rng.range(4, 9);
    let mut rejected = 0;
    for i in 0..pushes {
        t += secs(c, 15, 60);
        let e = push_send(c, u, same_origin(&att), &session, &dt, &b);
        q.at(t, e);
        let last = i + 1 == pushes;
        let a = if last && c.rng.chance(0.3) {
            Answer::Approve
        } else if c.rng.chance(if ignoring { 0.2 } else { 0.75 }) {
            Answer::Deny
        } else {
            Answer::Unanswered
        };
        let from = if a == Answer::Unanswered {
            same_origin(&att)
        } else {
            phone_origin(c, u, p, &att)
        };
        let e = push_answer(c, u, from, &session, a);
        let after = if a == Answer::Unanswered {
            secs(c, 40, 60)
        } else {
            secs(c, 4, 20)
        };
        q.at(t + after, e);
        if a != Answer::Approve {
            rejected += 1;
        }
        if rejected == 3 {
            let o = same_origin(&att);
            let e = risk_event(
                c,
                u,
                o,
                "LOW",
                "HIGH",
                "Brute Force Attack",
                "MFA brute force",
            );
            q.at(t + after + 2000, e);
        }
        if a == Answer::Approve {
            let mut e = new_ev(
                c,
                user_actor(u),
                same_origin(&att),
                &session,
                "user.session.start",
                "User login to Okta",
            );
            e.legacy = s("core.user_auth.login_success");
            e.auth = c.auth_ctx(None, Some("OKTA_CREDENTIAL_PROVIDER"), &session);
            signin_dt(c, &mut e.debug, "/idp/idx/identify", &dt);
            with_behaviors(&mut e.debug, &b);
            q.at(t + after + 1500, e);
        }
    }
}

/// The browser as Okta Verify's FastPass names the calling binary.
fn browser_binary(a: &Agent) -> &'static str {
    match a.browser {
        "EDGE_CHROMIUM" => "Microsoft Edge",
        "FIREFOX" => "org.mozilla.firefox",
        "SAFARI" => "Safari",
        _ => "Google Chrome",
    }
}

fn fastpass(c: &mut Ctx, u: &User, o: Origin, binary: J, validation: &str) -> Ev {
    let session = c.session_id();
    let mobile = o.agent.device == "Mobile";
    let enr = enrollment(
        c,
        "Okta Verify",
        J::Obj(vec![("methodTypeUsed", s("Okta FastPass"))]),
    );
    let app = &c.org.apps[10];
    let mut e = mfa(
        c,
        u,
        o,
        &session,
        "user.authentication.auth_via_mfa",
        "SIGNED_NONCE",
        enr,
        Some(app),
    );
    if let J::Obj(kvs) = &mut e.auth {
        kvs.push((
            "authenticatorContext",
            J::Obj(vec![
                ("authenticatorKey", s("okta_verify")),
                (
                    "bindingMethod",
                    s(if mobile { "UNIVERSAL_LINK" } else { "LOOPBACK" }),
                ),
                ("validationStatus", s(validation)),
                ("binaryIdentifier", binary),
            ]),
        ));
    }
    e
}

/// A FastPass sign-in from the user's browser (loopback on a computer, a universal link on a phone).
fn sc_fastpass(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let (_, u) = pick_user(c);
    let o = c.origin_of(u);
    let binary = if o.agent.device == "Mobile" {
        J::Null
    } else {
        s(browser_binary(o.agent))
    };
    let e = fastpass(c, u, o, binary, "VALID");
    q.at(t, e);
}

/// FastPass answering a binary that is no browser (a script proxying the loopback port), or one
/// without a valid signature.
fn sc_fastpass_suspicious_binary(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let (_, u) = pick_user(c);
    let mut o = c.origin_of(u);
    o.agent = computer_agent(c, None);
    let (binary, validation) = *c.rng.pick(&[
        ("python3.12", "NO_SIGNATURE"),
        ("node", "NO_SIGNATURE"),
        ("curl", "VALID"),
        ("Electron", "VALID"),
        ("Google Chrome", "NO_SIGNATURE"),
    ]);
    let e = fastpass(c, u, o, s(binary), validation);
    q.at(t, e);
}

/// A user signs in through a commercial VPN: `user.session.start`, then a second factor.
fn sc_proxy_sign_in(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let b = forced(false, c.rng.chance(0.6), c.rng.chance(0.5));
    let ok = c.rng.chance(0.85);
    proxy_sign_in(c, q, t, b, ok);
}

/// The same from a device Okta has not seen for the user, in a new place.
fn sc_proxy_sign_in_new_device(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    proxy_sign_in(c, q, t, forced(true, true, true), true);
}

fn proxy_sign_in(c: &mut Ctx, q: &mut Queue, t: i64, b: Behaviors, ok: bool) {
    let (_, u) = pick_user(c);
    let o = proxy_origin(c, Some(&AGENTS[u.agent]));
    let session = c.session_id();
    let dt = c.rng.hex(64);
    let mut e = new_ev(
        c,
        user_actor(u),
        same_origin(&o),
        &session,
        "user.session.start",
        "User login to Okta",
    );
    e.auth = c.auth_ctx(None, Some("OKTA_CREDENTIAL_PROVIDER"), &session);
    e.legacy = s(if ok {
        "core.user_auth.login_success"
    } else {
        "core.user_auth.login_failed"
    });
    if !ok {
        e.result = "FAILURE";
        e.reason = s("INVALID_CREDENTIALS");
    }
    signin_dt(c, &mut e.debug, "/idp/idx/identify", &dt);
    if c.rng.chance(0.8) {
        with_behaviors(&mut e.debug, &b);
    }
    q.at(t, e);
    if ok {
        let (_, authenticator, factor) = *c.rng.weighted(ADMIN_METHODS);
        let enr = enrollment(
            c,
            authenticator,
            J::Obj(vec![("methodTypeUsed", s(authenticator))]),
        );
        let et = *c.rng.pick(&[
            "user.authentication.auth_via_mfa",
            "user.authentication.verify",
        ]);
        let mut e = mfa(c, u, o, &session, et, factor, enr, None);
        if c.rng.chance(0.8) {
            with_behaviors(&mut e.debug, &b);
        }
        q.at(t + secs(c, 5, 30), e);
    }
}

/// ITP's entity risk detections, each raising or lowering a user's risk.
fn sc_itp_risk(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let (_, u) = pick_user(c);
    let (prev, level, name, why) = *c.rng.weighted(&[
        (
            2,
            (
                "LOW",
                "HIGH",
                "Session Influenced User Risk",
                "Associated sessionId is suspected to be hijacked",
            ),
        ),
        (
            4,
            (
                "LOW",
                "MEDIUM",
                "Entity Critical Action",
                "Multiple factor resets in a short time",
            ),
        ),
        (
            3,
            (
                "LOW",
                "MEDIUM",
                "Anomalous Location",
                "Sign-in from a new country",
            ),
        ),
        (
            3,
            (
                "HIGH",
                "LOW",
                "Admin Reported User Risk",
                "Risk cleared by an administrator",
            ),
        ),
    ]);
    let o = c.origin_of(u);
    let e = risk_event(c, u, o, prev, level, name, why);
    q.at(t, e);
}

/// A request from an address on Okta's threat intelligence lists.
fn sc_itp_threat_intel(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let (_, u) = pick_user(c);
    let o = proxy_origin(c, None);
    let e = risk_event(
        c,
        u,
        o,
        "LOW",
        "HIGH",
        "Okta Threat Intelligence",
        "Request from an IP address flagged by Okta Threat Intelligence",
    );
    q.at(t, e);
}

/// A user clicks "Report suspicious activity" in an Okta e-mail; ITP raises their risk.
fn sc_report_suspicious(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let (_, u) = pick_user(c);
    let o = c.origin_of(u);
    let session = c.session_id();
    let mut e = new_ev(
        c,
        user_actor(u),
        same_origin(&o),
        &session,
        "user.account.report_suspicious_activity_by_enduser",
        "User report suspicious activity",
    );
    e.severity = "WARN";
    uri(&mut e.debug, "/api/v1/users/me/suspicious-activity");
    e.debug
        .push(("suspiciousActivityEventType", s("user.session.start")));
    e.target = J::Arr(vec![user_target(u)]);
    q.at(t, e);
    let e = risk_event(
        c,
        u,
        o,
        "LOW",
        "HIGH",
        "User Reported Suspicious Activity",
        "User reported suspicious activity",
    );
    q.at(t + secs(c, 1, 5), e);
}

fn sc_identity_verification(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    identity_verification(c, q, t, false);
}

fn sc_identity_verification_denied(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    identity_verification(c, q, t, true);
}

fn identity_verification(c: &mut Ctx, q: &mut Queue, t: i64, denied: bool) {
    let (_, u) = pick_user(c);
    let o = c.origin_of(u);
    let session = c.session_id();
    let mut e = new_ev(
        c,
        user_actor(u),
        o,
        &session,
        "user.identity_verification",
        "Identity verification",
    );
    if !denied {
        e.result = "ALLOW";
    } else {
        e.result = "DENY";
        e.reason = s(*c.rng.pick(&[
            "ID document could not be verified",
            "Selfie did not match the ID document",
            "Verification timed out",
        ]));
    }
    uri(&mut e.debug, "/idp/idx/idv/redirect");
    e.debug.push(("idvProvider", s("Persona")));
    let idv = c.org.id(c.rng, "0oa");
    e.target = J::Arr(vec![
        user_target(u),
        target(
            &idv,
            "IdentityVerificationVendor",
            s("unknown"),
            s("Persona"),
            J::Null,
        ),
    ]);
    q.at(t, e);
}

/// A mail client signing in with basic authentication: mostly legacy Outlook, now and then a
/// password guess from a hosting provider.
fn sc_rich_client(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let (_, u) = pick_user(c);
    let agent = c.rng.pick(RICH_AGENTS);
    let guess = c.rng.chance(0.25);
    let o = if guess {
        hosting_origin(c, agent)
    } else {
        let mut o = c.origin_of(u);
        o.agent = agent;
        o
    };
    let session = c.session_id();
    let mut e = new_ev(
        c,
        user_actor(u),
        o,
        &session,
        "user.authentication.auth_via_richclient",
        "Authentication of user via Rich Client",
    );
    e.auth = c.auth_ctx(
        Some("OKTA_AUTHENTICATION_PROVIDER"),
        Some("OKTA_CREDENTIAL_PROVIDER"),
        &session,
    );
    e.legacy = s("core.user_auth.login_success");
    if guess || c.rng.chance(0.3) {
        fail(&mut e, "INVALID_CREDENTIALS");
        e.legacy = s("core.user_auth.login_failed");
    }
    uri(&mut e.debug, "/app/office365/ws-fed/active");
    e.target = J::Arr(vec![app_target(&c.org.apps[3], J::Null)]);
    q.at(t, e);
}

fn failed_login(c: &mut Ctx, actor: J, o: Origin, reason: &str) -> Ev {
    let session = c.session_id();
    let mut e = new_ev(
        c,
        actor,
        o,
        &session,
        "user.session.start",
        "User login to Okta",
    );
    e.auth = c.auth_ctx(None, Some("OKTA_CREDENTIAL_PROVIDER"), &session);
    e.result = "FAILURE";
    e.reason = s(reason);
    e.legacy = s("core.user_auth.login_failed");
    let dt = c.rng.hex(64);
    signin_dt(c, &mut e.debug, "/idp/idx/identify", &dt);
    e
}

fn threat_detected(c: &mut Ctx, o: Origin, reason: &str) -> Ev {
    let session = c.session_id();
    let mut e = new_ev(
        c,
        system_actor(c.org),
        o,
        &session,
        "security.threat.detected",
        "Request from suspicious actor",
    );
    e.result = "DENY";
    e.reason = s(reason);
    e.severity = "WARN";
    e.legacy = s("security.threat.detected");
    e.debug.push(("threatSuspected", s("true")));
    uri(&mut e.debug, "/idp/idx/identify");
    e
}

/// One address tries one password against many users; ThreatInsight names a password spray.
fn sc_password_spray(c: &mut Ctx, _w: &World, q: &mut Queue, mut t: i64) {
    let agent = c.rng.pick(API_AGENTS);
    let o = hosting_origin(c, agent);
    let n = c.rng.range(12, 30);
    for i in 0..n {
        let (_, u) = pick_user(c);
        let e = failed_login(c, user_actor(u), same_origin(&o), "INVALID_CREDENTIALS");
        q.at(t, e);
        if i == 8 {
            let e = threat_detected(c, same_origin(&o), "Password Spray");
            q.at(t + 500, e);
        }
        t += secs(c, 3, 12);
    }
}

/// One address tries logins of people who do not exist in the org.
fn sc_unknown_users_spray(c: &mut Ctx, _w: &World, q: &mut Queue, mut t: i64) {
    let o = proxy_origin(c, None);
    let n = c.rng.range(10, 25);
    for i in 0..n {
        let (first, last) = (*c.rng.pick(FIRST), *c.rng.pick(LAST));
        let login = format!(
            "{}.{}{}@{}",
            ascii_login(first),
            ascii_login(last),
            c.rng.range(1, 99),
            c.org.domain
        );
        let actor = J::Obj(vec![
            ("id", s("unknown")),
            ("type", s("User")),
            ("alternateId", s(login)),
            ("displayName", s("unknown")),
            ("detailEntry", J::Null),
        ]);
        let e = failed_login(c, actor, same_origin(&o), "VERIFICATION_ERROR");
        q.at(t, e);
        if i == 7 {
            let e = threat_detected(
                c,
                same_origin(&o),
                "Login failures with high unknown users count",
            );
            q.at(t + 500, e);
        }
        t += secs(c, 2, 10);
    }
}

/// ThreatInsight's other verdicts (an address with many failed logins for one user).
fn sc_threat_other(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let agent = c.rng.pick(API_AGENTS);
    let o = hosting_origin(c, agent);
    let e = threat_detected(c, o, "Login failures");
    q.at(t, e);
}

fn mobile_phone_target(number: &str) -> J {
    let masked = format!(
        "{} XXX-XXX-{}",
        &number[..number.len() - 10],
        &number[number.len() - 4..]
    );
    target(number, "MobilePhone", s("unknown"), s(masked), J::Null)
}

fn sms_ev(c: &mut Ctx, u: &User, o: Origin, number: &str) -> Ev {
    let session = c.session_id();
    let mut e = new_ev(
        c,
        user_actor(u),
        o,
        &session,
        "system.sms.send_phone_verification_message",
        "Send phone verification SMS message",
    );
    e.legacy = s("core.user.sms.message_sent.verify");
    uri(&mut e.debug, "/idp/idx/challenge");
    e.debug.push(("smsProvider", s("TWILIO")));
    e.target = J::Arr(vec![user_target(u), mobile_phone_target(number)]);
    e
}

fn sc_sms_verification(c: &mut Ctx, w: &World, q: &mut Queue, t: i64) {
    let (ui, u) = pick_user(c);
    let o = c.origin_of(u);
    let e = sms_ev(c, u, o, &w.people[ui].phone);
    q.at(t, e);
}

/// An attacker enrolls their own phone number for SMS on accounts they took over.
fn sc_phone_shared(c: &mut Ctx, _w: &World, q: &mut Queue, mut t: i64) {
    let number = format!("+1{}{}", c.rng.range(2, 9), c.rng.chars(DIGITS, 9));
    let o = proxy_origin(c, None);
    for _ in 0..c.rng.range(2, 3) {
        let (_, u) = pick_user(c);
        let e = sms_ev(c, u, same_origin(&o), &number);
        q.at(t, e);
        t += secs(c, 300, 2400);
    }
}

fn device_target(id: &str, host: &str, platform: &str, version: &str, managed: bool) -> J {
    target(
        id,
        "Device",
        s("unknown"),
        s(host),
        J::Obj(vec![
            ("oktaDeviceId", s(id)),
            ("osPlatform", s(platform)),
            ("osVersion", s(version)),
            ("managed", J::Bool(managed)),
        ]),
    )
}

/// Okta Verify registers a device: `device.enrollment.create`, then `device.user.add`.
fn enroll(c: &mut Ctx, u: &User, o: Origin, device: J, q: &mut Queue, t: i64) {
    let session = c.session_id();
    for (i, (et, msg)) in [
        ("device.enrollment.create", "Enroll device"),
        ("device.user.add", "Add device to user"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut e = new_ev(c, user_actor(u), same_origin(&o), &session, et, msg);
        uri(&mut e.debug, "/idp/authenticators/okta_verify/enroll");
        e.target = J::Arr(vec![clone_j(&device), user_target(u)]);
        q.at(t + i as i64 * 800, e);
    }
}

/// A user sets up Okta Verify on their computer (their phone now and then).
fn sc_device_enrollment(c: &mut Ctx, w: &World, q: &mut Queue, t: i64) {
    let (ui, u) = pick_user(c);
    let p = &w.people[ui];
    let mut o = c.origin_of(u);
    let device = if c.rng.chance(0.3) {
        o.agent = if p.android {
            &OV_ANDROID
        } else {
            &AGENTS[OKTA_VERIFY_IOS]
        };
        let first = u.name.split(' ').next().unwrap_or_default();
        let id = c.org.id(c.rng, "guo");
        let (host, platform, version) = if p.android {
            ("Pixel 8".to_string(), "ANDROID", "14")
        } else {
            (format!("{first}'s iPhone"), "IOS", "18.5")
        };
        device_target(&id, &host, platform, version, false)
    } else {
        if o.agent.device == "Mobile" {
            o.agent = &AGENTS[0];
        }
        device_target(&p.device_id, &p.host, p.platform, p.os_version, p.managed)
    };
    enroll(c, u, o, device, q, t);
}

/// One attacker's computer registered to several users' accounts.
fn sc_device_shared(c: &mut Ctx, _w: &World, q: &mut Queue, mut t: i64) {
    let id = c.org.id(c.rng, "guo");
    let host = format!("DESKTOP-{}", c.rng.chars(UPPER_NUM, 7));
    let o = proxy_origin(c, Some(&AGENTS[2]));
    let device = device_target(&id, &host, "WINDOWS", "10.0.22631", false);
    for _ in 0..c.rng.range(2, 3) {
        let (_, u) = pick_user(c);
        enroll(c, u, same_origin(&o), clone_j(&device), q, t);
        t += secs(c, 600, 3000);
    }
}

// --- Apps and sessions -------------------------------------------------------------------------

/// Distinct apps, `n` of them (at most all 13).
fn some_apps<'a>(c: &mut Ctx<'a>, n: u64) -> Vec<&'a App> {
    let mut idx: Vec<usize> = (0..c.org.apps.len()).collect();
    for i in (1..idx.len()).rev() {
        let j = c.rng.below(i as u64 + 1) as usize;
        idx.swap(i, j);
    }
    idx.truncate(n as usize);
    idx.into_iter().map(|i| &c.org.apps[i]).collect()
}

/// A user opens apps whose policy asks for another factor, and passes each challenge.
fn sc_app_challenges(c: &mut Ctx, w: &World, q: &mut Queue, mut t: i64) {
    let (ui, u) = pick_user(c);
    let p = &w.people[ui];
    let mut o = c.origin_of(u);
    o.agent = &AGENTS[u.agent];
    let session = c.session_id();
    let n = c.rng.range(1, 3);
    for app in some_apps(c, n) {
        let e = policy_eval(
            c,
            u,
            same_origin(&o),
            &session,
            &p.dt_hash,
            app,
            "CHALLENGE",
            None,
        );
        q.at(t, e);
        let (_, authenticator, factor) = *c.rng.weighted(&ADMIN_METHODS[..4]);
        let enr = enrollment(
            c,
            authenticator,
            J::Obj(vec![("methodTypeUsed", s(authenticator))]),
        );
        let e = mfa(
            c,
            u,
            same_origin(&o),
            &session,
            "user.authentication.verify",
            factor,
            enr,
            Some(app),
        );
        t += secs(c, 4, 15);
        q.at(t, e);
        let e = sso(c, u, same_origin(&o), &session, app, Some("SP_INITIATED"));
        t += secs(c, 1, 3);
        q.at(t, e);
        t += secs(c, 20, 240);
    }
}

/// A stolen session cookie replayed from elsewhere: app after app asks for a factor the attacker
/// does not have.
fn sc_stolen_session_apps(c: &mut Ctx, w: &World, q: &mut Queue, mut t: i64) {
    let (ui, u) = pick_user(c);
    let dt = &w.people[ui].dt_hash;
    let att = proxy_origin(c, Some(&AGENTS[u.agent]));
    let session = c.session_id();
    let n = c.rng.range(3, 6);
    for app in some_apps(c, n) {
        let e = policy_eval(
            c,
            u,
            same_origin(&att),
            &session,
            dt,
            app,
            "CHALLENGE",
            None,
        );
        q.at(t, e);
        t += secs(c, 5, 40);
    }
}

/// A user opens a few apps from the dashboard.
fn sc_dashboard(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let n = c.rng.range(2, 5);
    dashboard(c, q, t, n, 10, 90);
}

/// A busy minute on the dashboard: 6 to 9 apps.
fn sc_dashboard_busy(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let n = c.rng.range(6, 9);
    let start = t - t.rem_euclid(60_000) + 60_000 + secs(c, 1, 5);
    dashboard(c, q, start, n, 2, 5);
}

/// Ten apps or more opened within a minute (kept inside one clock minute, so that fixed one-minute
/// buckets see it as sliding windows do).
fn sc_rapid_app_access(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let n = c.rng.range(10, 13);
    let start = t - t.rem_euclid(60_000) + 60_000 + secs(c, 1, 5);
    dashboard(c, q, start, n, 1, 3);
}

fn dashboard(c: &mut Ctx, q: &mut Queue, mut t: i64, n: u64, lo: u64, hi: u64) {
    let (_, u) = pick_user(c);
    let o = c.origin_of(u);
    let session = c.session_id();
    for app in some_apps(c, n) {
        let e = sso(c, u, same_origin(&o), &session, app, Some("IDP_INITIATED"));
        q.at(t, e);
        t += secs(c, lo, hi);
    }
}

/// A browser session: sign-on policy evaluations with the browser's device token, from one
/// address (now and then a second one, the same browser on another network).
fn sc_browser_session(c: &mut Ctx, w: &World, q: &mut Queue, mut t: i64) {
    let (ui, u) = pick_user(c);
    let p = &w.people[ui];
    let mut o = c.origin_of(u);
    o.agent = &AGENTS[u.agent];
    let session = c.session_id();
    let moved = c.rng.chance(0.15);
    let n = c.rng.range(2, 4);
    for (i, app) in some_apps(c, n).into_iter().enumerate() {
        let mut from = same_origin(&o);
        if moved && i > 0 {
            from.place = u.home;
            from.ip = ip_in(c.rng, PLACES[u.home].net);
        }
        let e = policy_eval(c, u, from, &session, &p.dt_hash, app, "ALLOW", None);
        q.at(t, e);
        t += secs(c, 30, 600);
    }
}

/// A session cookie stolen and used from another address, OS and browser; ITP names it, and an
/// admin's session is ended for roaming.
fn sc_cookie_replay(c: &mut Ctx, w: &World, q: &mut Queue, mut t: i64) {
    let (ui, u) = pick_user(c);
    let p = &w.people[ui];
    let mut o = c.origin_of(u);
    o.agent = &AGENTS[u.agent];
    let session = c.session_id();
    for app in some_apps(c, 2) {
        let e = policy_eval(
            c,
            u,
            same_origin(&o),
            &session,
            &p.dt_hash,
            app,
            "ALLOW",
            None,
        );
        q.at(t, e);
        t += secs(c, 20, 120);
    }
    t += secs(c, 120, 1200);
    let agent = computer_agent(c, Some(o.agent));
    let att = if c.rng.chance(0.5) {
        proxy_origin(c, Some(agent))
    } else {
        hosting_origin(c, agent)
    };
    let n = c.rng.range(2, 4);
    for app in some_apps(c, n) {
        let e = policy_eval(
            c,
            u,
            same_origin(&att),
            &session,
            &p.dt_hash,
            app,
            "ALLOW",
            None,
        );
        q.at(t, e);
        t += secs(c, 5, 60);
    }
    let e = risk_event(
        c,
        u,
        same_origin(&att),
        "LOW",
        "HIGH",
        "Session Influenced User Risk",
        "Associated sessionId is suspected to be hijacked",
    );
    q.at(t, e);
    if c.org.admins.contains(&ui) || c.rng.chance(0.3) {
        let t = t + secs(c, 1, 10);
        roaming(c, u, att, q, t);
    }
}

/// SSO to a cloud console (behaviour detection on most).
fn sc_cloud_sso(c: &mut Ctx, w: &World, q: &mut Queue, t: i64) {
    cloud_sso(c, w, q, t, false);
}

/// The same from a new device.
fn sc_cloud_sso_new_device(c: &mut Ctx, w: &World, q: &mut Queue, t: i64) {
    cloud_sso(c, w, q, t, true);
}

fn cloud_sso(c: &mut Ctx, w: &World, q: &mut Queue, t: i64, new_device: bool) {
    let (_, u) = pick_user(c);
    let app = &w.cloud[c.rng.below(w.cloud.len() as u64) as usize];
    let o = c.origin_of(u);
    let travelling = o.place != u.home;
    let session = c.session_id();
    let b = forced(new_device, travelling || c.rng.chance(0.2), travelling);
    let mut e = sso(c, u, o, &session, app, None);
    if new_device || c.rng.chance(0.7) {
        with_behaviors(&mut e.debug, &b);
    }
    if c.rng.chance(0.05) {
        fail(&mut e, "User attempted unauthorized access to app");
    }
    q.at(t, e);
}

/// A user reveals the password Okta keeps for an app (SWA sign-on).
fn sc_password_reveal(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let (_, u) = pick_user(c);
    let app = &c.org.apps[*c.rng.pick(&[5usize, 7, 8, 12])];
    let o = c.origin_of(u);
    let session = c.session_id();
    let mut e = new_ev(
        c,
        user_actor(u),
        o,
        &session,
        "application.user_membership.show_password",
        "Show user password for app",
    );
    e.legacy = s("app.generic.show.password");
    uri(&mut e.debug, &format!("/app/UserHome/{}/password", app.id));
    let appuser = c.org.id(c.rng, "0ua");
    e.target = J::Arr(vec![
        target(&appuser, "AppUser", s(&u.login), s(&u.name), J::Null),
        app_target(app, J::Null),
        user_target(u),
    ]);
    q.at(t, e);
}

/// An OAuth token request that fails; now and then because the redirect URI is not registered.
fn sc_token_grant_failure(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let reason = *c.rng.weighted(&[
        (50, "invalid_grant"),
        (25, "invalid_client"),
        (10, "invalid_scope"),
    ]);
    token_grant_failure(c, q, t, reason);
}

fn sc_redirect_mismatch(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    token_grant_failure(c, q, t, "mismatched_redirect_uri");
}

fn token_grant_failure(c: &mut Ctx, q: &mut Queue, t: i64, reason: &str) {
    let (_, u) = pick_user(c);
    let app = &c.org.apps[*c.rng.pick(&[10usize, 11, 12])];
    let o = c.origin_of(u);
    let session = c.session_id();
    let mut e = new_ev(
        c,
        user_actor(u),
        o,
        &session,
        "app.oauth2.token.grant",
        "OAuth2 token grant request",
    );
    fail(&mut e, reason);
    uri(&mut e.debug, "/oauth2/v1/token");
    e.debug.push(("grantType", s("authorization_code")));
    e.target = J::Arr(vec![app_target(app, J::Null)]);
    q.at(t, e);
}

/// A server account's password changed outside Okta Privileged Access's rotation.
fn sc_opa_password_oob(c: &mut Ctx, _w: &World, q: &mut Queue, t: i64) {
    let o = hosting_origin(c, &API_AGENTS[1]);
    let session = c.session_id();
    let mut e = new_ev(
        c,
        system_actor(c.org),
        o,
        &session,
        "pam.server_account.password_change.out_of_band",
        "Server account password changed out of band",
    );
    e.severity = "WARN";
    e.transaction_type = "JOB";
    let (acct, server) = *c.rng.pick(&[
        ("root", "prod-db-03"),
        ("Administrator", "fileserver-02"),
        ("deploy", "build-runner-07"),
    ]);
    let sid = c.org.id(c.rng, "srv");
    let aid = c.org.id(c.rng, "acc");
    e.target = J::Arr(vec![
        target(&aid, "ServerAccount", s("unknown"), s(acct), J::Null),
        target(
            &sid,
            "Server",
            s("unknown"),
            s(format!("{server}.corp.{}", c.org.domain)),
            J::Null,
        ),
    ]);
    q.at(t, e);
}

// ---------------------------------------------------------------------------------------------
// Command line

const USAGE: &str = "\
usage: gen_events [--seed N] [--count N] [--bytes N] [--import-rate N] [--detections]

Writes realistic Okta System Log events as NDJSON to stdout, identical for identical arguments.
  --seed N         PRNG seed (default 42)
  --count N        stop after N events
  --bytes N        stop once at least N bytes have been written (whole events)
  --import-rate N  system.import.start events per 1000 events (default 4)
  --detections     also write the events Okta's detection catalogue looks for (ITP, ThreatInsight,
                   API tokens, Okta Verify pushes, proxies, ...), rare attacks and bursts among
                   everyday near misses; the default events stay the same, later in time
With neither --count nor --bytes, 300 events are written.";

fn parse_num(flag: &str, v: Option<String>) -> Result<u64, String> {
    let v = v.ok_or_else(|| format!("{flag} needs a value"))?;
    v.replace('_', "")
        .parse()
        .map_err(|_| format!("{flag}: not a number: {v}"))
}

/// One run's arguments.
pub(crate) struct Options {
    pub(crate) seed: u64,
    /// Stop after this many events.
    pub(crate) count: Option<u64>,
    /// Stop once at least this many bytes are written (whole events).
    pub(crate) bytes: Option<u64>,
    /// `system.import.start` events per 1000.
    pub(crate) import_rate: u32,
    /// The detection mix too.
    pub(crate) detections: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            seed: 42,
            count: None,
            bytes: None,
            import_rate: 4,
            detections: false,
        }
    }
}

/// Writes the events `o` asks for to `out` (300 when it names neither a count nor a size).
pub(crate) fn generate(o: &Options, out: &mut impl Write) -> io::Result<()> {
    let count = if o.count.is_none() && o.bytes.is_none() {
        Some(300)
    } else {
        o.count
    };
    let mut g = Gen::new(o.seed, o.import_rate, o.detections);
    let (mut events, mut written) = (0u64, 0u64);
    while !matches!(count, Some(c) if events >= c) && !matches!(o.bytes, Some(b) if written >= b) {
        let mut line = g.next_line();
        line.push('\n');
        out.write_all(line.as_bytes())?;
        events += 1;
        written += line.len() as u64;
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut o = Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let r = match a.as_str() {
            "--seed" => parse_num(&a, args.next()).map(|v| o.seed = v),
            "--count" => parse_num(&a, args.next()).map(|v| o.count = Some(v)),
            "--bytes" => parse_num(&a, args.next()).map(|v| o.bytes = Some(v)),
            "--import-rate" => parse_num(&a, args.next()).and_then(|v| {
                if v <= 1000 {
                    o.import_rate = v as u32;
                    Ok(())
                } else {
                    Err("--import-rate: at most 1000".into())
                }
            }),
            "--detections" => {
                o.detections = true;
                Ok(())
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => Err(format!("unknown argument: {a}")),
        };
        if let Err(e) = r {
            eprintln!("gen_events: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    }

    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match generate(&o, &mut out).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => write_failed(e),
    }
}

fn write_failed(e: io::Error) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
        ExitCode::SUCCESS
    } else {
        eprintln!("gen_events: {e}");
        ExitCode::FAILURE
    }
}
