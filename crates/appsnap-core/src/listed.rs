//! Lists of names written once. A fieldless enum declared through [`listed_enum!`] also
//! gets `ALL` (every variant, in declaration order) and `name()` (the variant's name, as
//! serde writes it), so the UI's lists and the tests' tables derive from the enum instead
//! of repeating it.

macro_rules! listed_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident, )+
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The variant's name: its serialised form.
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$variant => stringify!($variant),)+
                }
            }
        }
    };
}

pub(crate) use listed_enum;
