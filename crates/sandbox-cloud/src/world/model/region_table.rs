//! The public regions the sandbox knows: Alibaba Cloud's list as one real `DescribeRegions`
//! reply gave it (29 regions, alibaba-api.md §3.1), zone ids from the ECS zone guide.
//! The first [`CLASSIC_REGIONS`] are the sandbox's original table in its original order:
//! the demo scenario lists only those, and the scale scenario fills regions in this order,
//! so fleets generated before the table grew keep their ids.

pub struct RegionInfo {
    pub id: &'static str,
    pub local_name_zh: &'static str,
    pub local_name_en: &'static str,
    pub zones: &'static [&'static str],
}

/// How many regions of [`REGIONS`] the demo scenario opens (its documented table).
pub const CLASSIC_REGIONS: usize = 8;

const fn r(
    id: &'static str,
    local_name_zh: &'static str,
    local_name_en: &'static str,
    zones: &'static [&'static str],
) -> RegionInfo {
    RegionInfo {
        id,
        local_name_zh,
        local_name_en,
        zones,
    }
}

#[rustfmt::skip]
pub const REGIONS: &[RegionInfo] = &[
    // The original eight: keep their order and data.
    r("cn-hangzhou", "华东1（杭州）", "China (Hangzhou)", &["cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j"]),
    r("cn-shanghai", "华东2（上海）", "China (Shanghai)", &["cn-shanghai-e", "cn-shanghai-f"]),
    r("cn-beijing", "华北2（北京）", "China (Beijing)", &["cn-beijing-h", "cn-beijing-i"]),
    r("cn-shenzhen", "华南1（深圳）", "China (Shenzhen)", &["cn-shenzhen-e", "cn-shenzhen-f"]),
    r("cn-hongkong", "中国香港", "China (Hong Kong)", &["cn-hongkong-b", "cn-hongkong-c"]),
    r("ap-southeast-1", "新加坡", "Singapore", &["ap-southeast-1a", "ap-southeast-1c"]),
    r("us-west-1", "美国（硅谷）", "US (Silicon Valley)", &["us-west-1a", "us-west-1b"]),
    r("eu-central-1", "德国（法兰克福）", "Germany (Frankfurt)", &["eu-central-1a", "eu-central-1b"]),
    // The rest of the public list, in the order the captured reply gave them.
    r("cn-qingdao", "华北1（青岛）", "China (Qingdao)", &["cn-qingdao-b", "cn-qingdao-c"]),
    r("cn-zhangjiakou", "华北3（张家口）", "China (Zhangjiakou)", &["cn-zhangjiakou-a", "cn-zhangjiakou-b", "cn-zhangjiakou-c"]),
    r("cn-huhehaote", "华北5（呼和浩特）", "China (Hohhot)", &["cn-huhehaote-a", "cn-huhehaote-b"]),
    r("cn-wulanchabu", "华北6（乌兰察布）", "China (Ulanqab)", &["cn-wulanchabu-a", "cn-wulanchabu-b", "cn-wulanchabu-c"]),
    r("cn-nanjing", "华东5（南京-本地地域）", "China (Nanjing - Local Region)", &["cn-nanjing-a"]),
    r("cn-heyuan", "华南2（河源）", "China (Heyuan)", &["cn-heyuan-a", "cn-heyuan-b"]),
    r("cn-guangzhou", "华南3（广州）", "China (Guangzhou)", &["cn-guangzhou-a", "cn-guangzhou-b"]),
    r("cn-fuzhou", "华东6（福州-本地地域）", "China (Fuzhou - Local Region)", &["cn-fuzhou-a"]),
    r("cn-wuhan-lr", "华中1（武汉-本地地域）", "China (Wuhan - Local Region)", &["cn-wuhan-lr-a"]),
    r("cn-chengdu", "西南1（成都）", "China (Chengdu)", &["cn-chengdu-a", "cn-chengdu-b"]),
    r("ap-northeast-1", "日本（东京）", "Japan (Tokyo)", &["ap-northeast-1a", "ap-northeast-1b"]),
    r("ap-northeast-2", "韩国（首尔）", "South Korea (Seoul)", &["ap-northeast-2a", "ap-northeast-2b"]),
    r("ap-southeast-2", "澳大利亚（悉尼）", "Australia (Sydney)", &["ap-southeast-2a", "ap-southeast-2b"]),
    r("ap-southeast-3", "马来西亚（吉隆坡）", "Malaysia (Kuala Lumpur)", &["ap-southeast-3a", "ap-southeast-3b"]),
    r("ap-southeast-6", "菲律宾（马尼拉）", "Philippines (Manila)", &["ap-southeast-6a", "ap-southeast-6b"]),
    r("ap-southeast-5", "印度尼西亚（雅加达）", "Indonesia (Jakarta)", &["ap-southeast-5a", "ap-southeast-5b"]),
    r("ap-south-1", "印度（孟买）", "India (Mumbai)", &["ap-south-1a", "ap-south-1b"]),
    r("ap-southeast-7", "泰国（曼谷）", "Thailand (Bangkok)", &["ap-southeast-7a", "ap-southeast-7b"]),
    r("us-east-1", "美国（弗吉尼亚）", "US (Virginia)", &["us-east-1a", "us-east-1b"]),
    r("eu-west-1", "英国（伦敦）", "UK (London)", &["eu-west-1a", "eu-west-1b"]),
    r("me-east-1", "阿联酋（迪拜）", "UAE (Dubai)", &["me-east-1a", "me-east-1b"]),
];

pub fn lookup(region_id: &str) -> Option<&'static RegionInfo> {
    REGIONS.iter().find(|r| r.id == region_id)
}
