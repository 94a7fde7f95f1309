//! Seeded randomness and resource ids in Alibaba's formats (reference §8): `i-bp1…`,
//! `d-`, `s-`, `ssg-`, `c-`, `t-`, `f-`, uppercase GUID request ids.

/// splitmix64: small, seedable, reproducible.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn alnum(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        (0..len)
            .map(|_| CHARS[self.below(CHARS.len() as u64) as usize] as char)
            .collect()
    }

    pub fn hex_upper(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"0123456789ABCDEF";
        (0..len)
            .map(|_| CHARS[self.below(16) as usize] as char)
            .collect()
    }

    pub fn digits(&mut self, len: usize) -> String {
        (0..len)
            .map(|i| {
                let d = if i == 0 {
                    1 + self.below(9)
                } else {
                    self.below(10)
                };
                char::from(b'0' + d as u8)
            })
            .collect()
    }

    /// `473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E` (8-4-4-4-12 uppercase hex).
    pub fn request_id(&mut self) -> String {
        format!(
            "{}-{}-{}-{}-{}",
            self.hex_upper(8),
            self.hex_upper(4),
            self.hex_upper(4),
            self.hex_upper(4),
            self.hex_upper(12)
        )
    }

    /// ECS resource id: `<prefix>-<region code><random>`, e.g. `i-bp1` + 17 chars.
    pub fn resource_id(&mut self, prefix: &str, region_id: &str) -> String {
        format!("{prefix}-{}{}", region_code(region_id), self.alnum(17))
    }

    /// Cloud Assistant id: `c-hz0…`, `t-hz0…`, `f-hz0…`.
    pub fn assistant_id(&mut self, prefix: &str, region_id: &str) -> String {
        format!("{prefix}-{}{}", short_region(region_id), self.alnum(14))
    }
}

/// The three-character code real ids start with in each region.
pub fn region_code(region_id: &str) -> &'static str {
    match region_id {
        "cn-hangzhou" => "bp1",
        "cn-shanghai" => "uf6",
        "cn-beijing" => "2ze",
        "cn-shenzhen" => "wz9",
        "cn-hongkong" => "j6c",
        "ap-southeast-1" => "t4n",
        "us-west-1" => "rj9",
        "eu-central-1" => "gw8",
        _ => "xx0",
    }
}

fn short_region(region_id: &str) -> &'static str {
    match region_id {
        "cn-hangzhou" => "hz0",
        "cn-shanghai" => "sh0",
        "cn-beijing" => "bj0",
        "cn-shenzhen" => "sz0",
        "cn-hongkong" => "hk0",
        "ap-southeast-1" => "sg0",
        "us-west-1" => "us0",
        "eu-central-1" => "de0",
        _ => "xx0",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_ids() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert_eq!(
            a.resource_id("i", "cn-hangzhou"),
            b.resource_id("i", "cn-hangzhou")
        );
        assert_ne!(a.request_id(), Rng::new(8).request_id());
    }

    #[test]
    fn ids_have_the_real_shapes() {
        let mut r = Rng::new(1);
        let i = r.resource_id("i", "cn-hangzhou");
        assert!(i.starts_with("i-bp1") && i.len() == 22, "{i}");
        let rid = r.request_id();
        assert_eq!(rid.len(), 36);
        assert!(rid
            .chars()
            .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_lowercase()));
        assert!(r.assistant_id("t", "cn-shanghai").starts_with("t-sh0"));
        let u = r.unit();
        assert!((0.0..1.0).contains(&u));
        assert_eq!(r.digits(16).len(), 16);
    }
}
