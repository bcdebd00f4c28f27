//! Flink's logical types, with nullability and time attributes.
//!
//! In: type names as written in DDL and `CAST` (both dialects, MySQL spellings such as
//! `bigint(20)` included). Out: [`SqlType`], printed the way Flink prints types
//! (`BIGINT NOT NULL`, `TIMESTAMP(3) *ROWTIME*`), plus the implicit-cast rules the
//! binder applies (Flink's `LogicalTypeCasts`/`LogicalTypeMerging`, simplified to the
//! families the jobs use).

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeKind {
    Boolean,
    TinyInt,
    SmallInt,
    Int,
    BigInt,
    Float,
    Double,
    Decimal(u8, u8),
    /// `CHAR(n)`; string literals are `CHAR(len)` as in Flink.
    Char(u32),
    /// `VARCHAR(n)`; `STRING` is `VARCHAR(2147483647)`.
    Varchar(u32),
    Binary(u32),
    /// `VARBINARY(n)`; `BYTES` is `VARBINARY(2147483647)`.
    Varbinary(u32),
    Date,
    Time(u8),
    Timestamp(u8),
    TimestampLtz(u8),
    IntervalDayTime,
    IntervalYearMonth,
    Array(Box<SqlType>),
    Map(Box<SqlType>, Box<SqlType>),
    Multiset(Box<SqlType>),
    Row(Vec<(String, SqlType)>),
    /// The type of an untyped `NULL` literal.
    Null,
}

/// What makes a timestamp column a time attribute (Flink's `*ROWTIME*`/`*PROCTIME*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeAttr {
    Rowtime,
    Proctime,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SqlType {
    pub kind: TypeKind,
    pub nullable: bool,
    pub time_attr: Option<TimeAttr>,
}

pub const MAX_LEN: u32 = i32::MAX as u32;

impl SqlType {
    pub fn new(kind: TypeKind) -> Self {
        SqlType {
            kind,
            nullable: true,
            time_attr: None,
        }
    }
    pub fn not_null(kind: TypeKind) -> Self {
        SqlType {
            nullable: false,
            ..SqlType::new(kind)
        }
    }
    pub fn string() -> Self {
        SqlType::new(TypeKind::Varchar(MAX_LEN))
    }
    pub fn bigint() -> Self {
        SqlType::new(TypeKind::BigInt)
    }
    pub fn int() -> Self {
        SqlType::new(TypeKind::Int)
    }
    pub fn boolean() -> Self {
        SqlType::new(TypeKind::Boolean)
    }
    pub fn double() -> Self {
        SqlType::new(TypeKind::Double)
    }
    pub fn timestamp(p: u8) -> Self {
        SqlType::new(TypeKind::Timestamp(p))
    }
    pub fn with_nullable(mut self, nullable: bool) -> Self {
        self.nullable = nullable;
        self
    }
    /// Same type with any time attribute dropped (what a non-forwarding use yields).
    pub fn plain(mut self) -> Self {
        self.time_attr = None;
        self
    }

    pub fn is_string(&self) -> bool {
        matches!(self.kind, TypeKind::Char(_) | TypeKind::Varchar(_))
    }
    pub fn is_binary(&self) -> bool {
        matches!(self.kind, TypeKind::Binary(_) | TypeKind::Varbinary(_))
    }
    pub fn is_integer(&self) -> bool {
        matches!(
            self.kind,
            TypeKind::TinyInt | TypeKind::SmallInt | TypeKind::Int | TypeKind::BigInt
        )
    }
    pub fn is_numeric(&self) -> bool {
        self.is_integer()
            || matches!(
                self.kind,
                TypeKind::Float | TypeKind::Double | TypeKind::Decimal(..)
            )
    }
    pub fn is_timestamp(&self) -> bool {
        matches!(
            self.kind,
            TypeKind::Timestamp(_) | TypeKind::TimestampLtz(_)
        )
    }
    pub fn is_datetime(&self) -> bool {
        self.is_timestamp() || matches!(self.kind, TypeKind::Date | TypeKind::Time(_))
    }
    pub fn is_null(&self) -> bool {
        self.kind == TypeKind::Null
    }
    pub fn is_interval(&self) -> bool {
        matches!(
            self.kind,
            TypeKind::IntervalDayTime | TypeKind::IntervalYearMonth
        )
    }

    /// The type family used for comparisons and implicit casts.
    pub fn family(&self) -> Family {
        match &self.kind {
            TypeKind::Boolean => Family::Boolean,
            TypeKind::TinyInt
            | TypeKind::SmallInt
            | TypeKind::Int
            | TypeKind::BigInt
            | TypeKind::Float
            | TypeKind::Double
            | TypeKind::Decimal(..) => Family::Numeric,
            TypeKind::Char(_) | TypeKind::Varchar(_) => Family::Character,
            TypeKind::Binary(_) | TypeKind::Varbinary(_) => Family::Binary,
            TypeKind::Date
            | TypeKind::Time(_)
            | TypeKind::Timestamp(_)
            | TypeKind::TimestampLtz(_) => Family::Datetime,
            TypeKind::IntervalDayTime | TypeKind::IntervalYearMonth => Family::Interval,
            TypeKind::Array(_) | TypeKind::Map(..) | TypeKind::Multiset(_) | TypeKind::Row(_) => {
                Family::Constructed
            }
            TypeKind::Null => Family::Null,
        }
    }

    fn numeric_rank(&self) -> u8 {
        match self.kind {
            TypeKind::TinyInt => 1,
            TypeKind::SmallInt => 2,
            TypeKind::Int => 3,
            TypeKind::BigInt => 4,
            TypeKind::Decimal(..) => 5,
            TypeKind::Float => 6,
            TypeKind::Double => 7,
            _ => 0,
        }
    }

    /// Can a value of `self` be used where `target` is expected without a `CAST`?
    /// (Flink's implicit casts: widening within a family, NULL to anything,
    /// `CHAR` to `VARCHAR`, timestamp precision changes.)
    pub fn implicitly_casts_to(&self, target: &SqlType) -> bool {
        if self.is_null() {
            return true;
        }
        match (self.family(), target.family()) {
            (Family::Numeric, Family::Numeric) => {
                self.numeric_rank() <= target.numeric_rank()
                    || matches!(target.kind, TypeKind::Decimal(..))
            }
            (Family::Character, Family::Character) => true,
            (Family::Binary, Family::Binary) => true,
            (Family::Boolean, Family::Boolean) => true,
            (Family::Interval, Family::Interval) => self.kind == target.kind,
            (Family::Datetime, Family::Datetime) => {
                std::mem::discriminant(&self.kind) == std::mem::discriminant(&target.kind)
                    || (self.is_timestamp() && target.is_timestamp())
            }
            (Family::Constructed, Family::Constructed) => self.kind == target.kind,
            _ => false,
        }
    }

    /// The common type of two operands (for `CASE`, `COALESCE`, `IN`, comparisons,
    /// arithmetic), or `None` when Flink would reject the combination.
    pub fn common(a: &SqlType, b: &SqlType) -> Option<SqlType> {
        let nullable = a.nullable || b.nullable;
        if a.is_null() {
            return Some(b.clone().plain().with_nullable(true));
        }
        if b.is_null() {
            return Some(a.clone().plain().with_nullable(true));
        }
        let kind = match (a.family(), b.family()) {
            (Family::Numeric, Family::Numeric) => {
                if a.numeric_rank() >= b.numeric_rank() {
                    a.kind.clone()
                } else {
                    b.kind.clone()
                }
            }
            (Family::Character, Family::Character) => match (&a.kind, &b.kind) {
                (TypeKind::Char(x), TypeKind::Char(y)) if x == y => TypeKind::Char(*x),
                _ => TypeKind::Varchar(a.max_len().max(b.max_len())),
            },
            (Family::Binary, Family::Binary) => TypeKind::Varbinary(a.max_len().max(b.max_len())),
            (Family::Boolean, Family::Boolean) => TypeKind::Boolean,
            (Family::Datetime, Family::Datetime) => match (&a.kind, &b.kind) {
                (TypeKind::Timestamp(p), TypeKind::Timestamp(q)) => TypeKind::Timestamp(*p.max(q)),
                (TypeKind::TimestampLtz(p), TypeKind::TimestampLtz(q)) => {
                    TypeKind::TimestampLtz(*p.max(q))
                }
                (x, y) if x == y => x.clone(),
                _ => return None,
            },
            (Family::Interval, Family::Interval) if a.kind == b.kind => a.kind.clone(),
            (Family::Constructed, Family::Constructed) if a.kind == b.kind => a.kind.clone(),
            _ => return None,
        };
        Some(SqlType {
            kind,
            nullable,
            time_attr: None,
        })
    }

    fn max_len(&self) -> u32 {
        match self.kind {
            TypeKind::Char(n)
            | TypeKind::Varchar(n)
            | TypeKind::Binary(n)
            | TypeKind::Varbinary(n) => n,
            _ => MAX_LEN,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Boolean,
    Numeric,
    Character,
    Binary,
    Datetime,
    Interval,
    Constructed,
    Null,
}

impl fmt::Display for TypeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeKind::Boolean => write!(f, "BOOLEAN"),
            TypeKind::TinyInt => write!(f, "TINYINT"),
            TypeKind::SmallInt => write!(f, "SMALLINT"),
            TypeKind::Int => write!(f, "INT"),
            TypeKind::BigInt => write!(f, "BIGINT"),
            TypeKind::Float => write!(f, "FLOAT"),
            TypeKind::Double => write!(f, "DOUBLE"),
            TypeKind::Decimal(p, s) => write!(f, "DECIMAL({p}, {s})"),
            TypeKind::Char(n) => write!(f, "CHAR({n})"),
            TypeKind::Varchar(n) if *n == MAX_LEN => write!(f, "STRING"),
            TypeKind::Varchar(n) => write!(f, "VARCHAR({n})"),
            TypeKind::Binary(n) => write!(f, "BINARY({n})"),
            TypeKind::Varbinary(n) if *n == MAX_LEN => write!(f, "BYTES"),
            TypeKind::Varbinary(n) => write!(f, "VARBINARY({n})"),
            TypeKind::Date => write!(f, "DATE"),
            TypeKind::Time(p) => write!(f, "TIME({p})"),
            TypeKind::Timestamp(p) => write!(f, "TIMESTAMP({p})"),
            TypeKind::TimestampLtz(p) => write!(f, "TIMESTAMP_LTZ({p})"),
            TypeKind::IntervalDayTime => write!(f, "INTERVAL SECOND(3)"),
            TypeKind::IntervalYearMonth => write!(f, "INTERVAL MONTH"),
            TypeKind::Array(t) => write!(f, "ARRAY<{t}>"),
            TypeKind::Map(k, v) => write!(f, "MAP<{k}, {v}>"),
            TypeKind::Multiset(t) => write!(f, "MULTISET<{t}>"),
            TypeKind::Row(fields) => {
                write!(f, "ROW<")?;
                for (i, (n, t)) in fields.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "`{n}` {t}")?;
                }
                write!(f, ">")
            }
            TypeKind::Null => write!(f, "NULL"),
        }
    }
}

impl fmt::Display for SqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        if !self.nullable && !self.is_null() {
            write!(f, " NOT NULL")?;
        }
        match self.time_attr {
            Some(TimeAttr::Rowtime) => write!(f, " *ROWTIME*"),
            Some(TimeAttr::Proctime) => write!(f, " *PROCTIME*"),
            None => Ok(()),
        }
    }
}

/// Maps a `sqlparser` data type (as parsed in `CAST(x AS t)` and DDL) onto Flink's,
/// or returns the name of the type Flink does not have.
pub fn from_sql_data_type(t: &sqlparser::ast::DataType) -> Result<SqlType, String> {
    use sqlparser::ast::{CharacterLength, DataType as D, ExactNumberInfo};
    let len = |l: &Option<CharacterLength>| match l {
        Some(CharacterLength::IntegerLength { length, .. }) => (*length).min(MAX_LEN as u64) as u32,
        _ => MAX_LEN,
    };
    let prec = |p: &Option<u64>, default: u8| p.map(|p| p.min(9) as u8).unwrap_or(default);
    let kind = match t {
        D::Boolean | D::Bool => TypeKind::Boolean,
        D::TinyInt(_) => TypeKind::TinyInt,
        D::SmallInt(_) | D::Int2(_) => TypeKind::SmallInt,
        D::Int(_) | D::Integer(_) | D::Int4(_) | D::MediumInt(_) => TypeKind::Int,
        D::BigInt(_) | D::Int8(_) | D::Int64 => TypeKind::BigInt,
        D::Float(_) | D::Real | D::Float4 => TypeKind::Float,
        D::Double(_) | D::DoublePrecision | D::Float8 | D::Float64 => TypeKind::Double,
        D::Decimal(info) | D::Numeric(info) | D::Dec(info) => match info {
            ExactNumberInfo::None => TypeKind::Decimal(10, 0),
            ExactNumberInfo::Precision(p) => TypeKind::Decimal((*p).min(38) as u8, 0),
            ExactNumberInfo::PrecisionAndScale(p, s) => {
                TypeKind::Decimal((*p).min(38) as u8, (*s).clamp(0, 38) as u8)
            }
        },
        D::Char(l) | D::Character(l) => TypeKind::Char(match l {
            None => 1,
            l => len(l),
        }),
        D::Varchar(l) | D::CharVarying(l) | D::CharacterVarying(l) | D::Nvarchar(l) => {
            TypeKind::Varchar(len(l))
        }
        D::String(_) | D::Text => TypeKind::Varchar(MAX_LEN),
        D::Binary(n) => TypeKind::Binary(n.map(|n| n as u32).unwrap_or(1)),
        D::Varbinary(n) => TypeKind::Varbinary(match n {
            Some(sqlparser::ast::BinaryLength::IntegerLength { length }) => *length as u32,
            _ => MAX_LEN,
        }),
        D::Bytes(_) | D::Blob(_) | D::Bytea => TypeKind::Varbinary(MAX_LEN),
        D::Date => TypeKind::Date,
        D::Time(p, _) => TypeKind::Time(prec(p, 0)),
        D::Timestamp(p, tz) => match tz {
            sqlparser::ast::TimezoneInfo::WithTimeZone => TypeKind::TimestampLtz(prec(p, 6)),
            _ => TypeKind::Timestamp(prec(p, 6)),
        },
        D::Datetime(p) => TypeKind::Timestamp(prec(p, 6)),
        D::Array(sqlparser::ast::ArrayElemTypeDef::AngleBracket(inner))
        | D::Array(sqlparser::ast::ArrayElemTypeDef::SquareBracket(inner, _))
        | D::Array(sqlparser::ast::ArrayElemTypeDef::Parenthesis(inner)) => {
            TypeKind::Array(Box::new(from_sql_data_type(inner)?))
        }
        D::Custom(name, args) => {
            let n = name.to_string().to_ascii_uppercase();
            let p = args.first().and_then(|a| a.parse::<u8>().ok());
            match n.as_str() {
                "TIMESTAMP_LTZ" => TypeKind::TimestampLtz(p.unwrap_or(6)),
                "BYTES" => TypeKind::Varbinary(MAX_LEN),
                "STRING" => TypeKind::Varchar(MAX_LEN),
                _ => return Err(n),
            }
        }
        other => return Err(other.to_string()),
    };
    Ok(SqlType::new(kind))
}
