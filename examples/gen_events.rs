//! Seeded, reproducible generator of realistic Okta System Log events, as NDJSON on stdout.
//!
//! ```text
//! cargo run --release --example gen_events -- --seed 42 --count 300
//! cargo run --release --example gen_events -- --seed 7 --bytes 100000000 > events.ndjson
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
            ("geographicalContext", geo(&PLACES[o.place])),
        ])
    }

    fn security(&self, o: &Origin) -> J {
        let isp = PLACES[o.place].isp;
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
            ("isProxy", J::Bool(false)),
        ])
    }

    fn request(&self, o: &Origin) -> J {
        J::Obj(vec![(
            "ipChain",
            J::Arr(vec![J::Obj(vec![
                ("ip", s(&o.ip)),
                ("geographicalContext", geo(&PLACES[o.place])),
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
    target: J,
}

struct Gen {
    rng: Rng,
    org: Org,
    nodes: Vec<u64>,
    now_ms: i64,
    seq: u64,
    import_per_mille: u32,
    pending: Vec<PendingImport>,
}

impl Gen {
    fn new(seed: u64, import_per_mille: u32) -> Gen {
        let mut rng = Rng(seed);
        let org = Org::new(&mut rng);
        let nodes = (0..6).map(|_| rng.below(1 << 48)).collect();
        Gen {
            rng,
            org,
            nodes,
            // 2025-03-03T08:00:00.000Z
            now_ms: 1_740_988_800_000,
            seq: 0,
            import_per_mille,
            pending: Vec::new(),
        }
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
        let now = self.now_ms;
        let c = &mut Ctx {
            rng: &mut self.rng,
            org: &self.org,
            nodes: &self.nodes,
        };
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
                    ("detail", J::Obj(vec![])),
                ]),
            ),
            ("uuid", s(uuid)),
            ("version", s("0")),
            ("request", c.request(&ev.origin)),
            ("target", ev.target),
        ]);
        to_json(&v)
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
// Command line

const USAGE: &str = "\
usage: gen_events [--seed N] [--count N] [--bytes N] [--import-rate N]

Writes realistic Okta System Log events as NDJSON to stdout, identical for identical arguments.
  --seed N         PRNG seed (default 42)
  --count N        stop after N events
  --bytes N        stop once at least N bytes have been written (whole events)
  --import-rate N  system.import.start events per 1000 events (default 4)
With neither --count nor --bytes, 300 events are written.";

fn parse_num(flag: &str, v: Option<String>) -> Result<u64, String> {
    let v = v.ok_or_else(|| format!("{flag} needs a value"))?;
    v.replace('_', "")
        .parse()
        .map_err(|_| format!("{flag}: not a number: {v}"))
}

fn main() -> ExitCode {
    let mut seed = 42u64;
    let mut count = None;
    let mut bytes = None;
    let mut rate = 4u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let r = match a.as_str() {
            "--seed" => parse_num(&a, args.next()).map(|v| seed = v),
            "--count" => parse_num(&a, args.next()).map(|v| count = Some(v)),
            "--bytes" => parse_num(&a, args.next()).map(|v| bytes = Some(v)),
            "--import-rate" => parse_num(&a, args.next()).and_then(|v| {
                if v <= 1000 {
                    rate = v;
                    Ok(())
                } else {
                    Err("--import-rate: at most 1000".into())
                }
            }),
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
    if count.is_none() && bytes.is_none() {
        count = Some(300);
    }

    let mut g = Gen::new(seed, rate as u32);
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let (mut events, mut written) = (0u64, 0u64);
    while !matches!(count, Some(c) if events >= c) && !matches!(bytes, Some(b) if written >= b) {
        let mut line = g.next_event();
        line.push('\n');
        if let Err(e) = out.write_all(line.as_bytes()) {
            return write_failed(e);
        }
        events += 1;
        written += line.len() as u64;
    }
    match out.flush() {
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
