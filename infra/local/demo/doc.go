// Package demo makes the contacts that the local stack starts with: made-up
// demo contacts, contacts read from a seed file, and a realistic seed built
// from the project's shared data pack.
//
// Generate draws contacts from small built-in lists covering twenty-one
// countries, with names in Latin script with diacritics (Zoë, Łukasz,
// Søren, Müller, Ñíguez) and in Cyrillic, Greek, Japanese, Chinese, Korean,
// Devanagari and Arabic script. Every company domain is under the reserved
// .example top-level domain, so no generated address belongs to anyone.
//
// # Demo people
//
// DemoPeople are always the first contacts Generate returns, so these can be
// tried against a freshly started stack (for example an access request in
// the privacy center, or an enrichment by email):
//
//	Zoë Ångström      zoe.angstrom@northwind-traders.example    +46 8 501 234 56  SE
//	花子 山田 (Hanako Yamada)
//	                  hanako.yamada@sakura-logistics.example    03-5555-0123      JP
//	ليلى حداد (Layla Haddad)
//	                  layla.haddad@desert-rose-trading.example  +971 4 321 0987   AE
//	Олена Коваленко (Olena Kovalenko)
//	                  olena.kovalenko@dnipro-agro.example       044 234 56 78     UA
//	Łukasz Wiśniewski lukasz.wisniewski@wisla-robotics.example  +48 22 512 34 56  PL
//	Søren Kjærgaard   soren.kjaergaard@nordlys-bank.example     33 12 34 56       DK
//	Sam Taylor        sam.taylor@kestrel-payments.example       (312) 555-0142    US
//
// # Seed files
//
// ReadCSV reads the seed file format of `make run SEED=…` and `make seed`:
//
//	first_name,last_name,email,phone,title,company,company_domain,city,country,source
//	Sam,Taylor,sam.taylor@kestrel-payments.example,,,Kestrel Payments,,,US,partner
//
// Columns come in any order, header names in any case; the source column is
// public-web, partner or community, or empty for the file's default.
//
// FromSharedData builds a larger, realistic seed from the shared data pack.
package demo
