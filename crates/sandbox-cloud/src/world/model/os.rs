//! The operating system of an instance as ECS and the guest describe it.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OsType {
    Linux,
    Windows,
}

impl OsType {
    /// Lowercase, as DescribeInstances answers.
    pub fn lower(self) -> &'static str {
        match self {
            OsType::Linux => "linux",
            OsType::Windows => "windows",
        }
    }

    /// Capitalised, as Cloud Assistant answers.
    pub fn title(self) -> &'static str {
        match self {
            OsType::Linux => "Linux",
            OsType::Windows => "Windows",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Os {
    pub os_type: OsType,
    /// `OSName` (often localised, with the real double spaces).
    pub name: String,
    /// `OSNameEn`.
    pub name_en: String,
    pub image_id: String,
    /// What the guest itself reports (`/etc/os-release` PRETTY_NAME or Windows caption).
    pub pretty: String,
    /// Distribution id and version as the inventory probe prints them (`centos`, `7.9`).
    pub distro: String,
    pub version: String,
    pub kernel: String,
}
