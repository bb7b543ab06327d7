package demo

import "github.com/immagnify/immagnify/internal/contact"

// The built-in lists below were written for this package. They are made up
// to look like a B2B contact database, and every company domain is under the
// reserved .example top-level domain (RFC 2606), so no address that Generate
// produces can reach a real mailbox.
//
// Names are written as "Native/latin" when the native form is not in Latin
// script; the latin form becomes the email's local part. A name in Latin
// script needs no romanisation: its diacritics are stripped for the email.
// A surname written "Masculine|Feminine" has a form for each gender, as in
// Slavic languages and Greek.

// country is what Generate knows of one country.
type country struct {
	code     string
	cities   []string
	phones   []string // national formats; each x is a random digit
	female   []string
	male     []string
	surnames []string
}

var countries = []country{
	{
		code:   "US",
		cities: []string{"New York", "Chicago", "Austin", "Seattle", "Boston", "Denver"},
		// 555-0100 to 555-0199 are the fictional numbers of the NANP.
		phones: []string{"(201) 555-01xx", "(212) 555-01xx", "(312) 555-01xx",
			"(415) 555-01xx", "(617) 555-01xx"},
		female:   []string{"Olivia", "Emma", "Ava", "Harper", "Zoë", "Renée", "Madison"},
		male:     []string{"Liam", "Noah", "Ethan", "Mason", "José", "Darnell", "Caleb"},
		surnames: []string{"Smith", "Johnson", "Williams", "O'Connor", "Nguyen", "Brooks"},
	},
	{
		code:   "GB",
		cities: []string{"London", "Manchester", "Leeds", "Bristol", "Edinburgh"},
		// Ofcom keeps these ranges for drama.
		phones: []string{"020 7946 0xxx", "0161 496 0xxx", "0113 496 0xxx",
			"0117 496 0xxx", "0131 496 0xxx"},
		female:   []string{"Amelia", "Isla", "Freya", "Zoë", "Niamh", "Ffion"},
		male:     []string{"Oliver", "George", "Harry", "Rhys", "Callum", "Eoin"},
		surnames: []string{"Taylor", "Evans", "Roberts", "Hughes", "Llewellyn", "MacLeod"},
	},
	{
		code:   "IE",
		cities: []string{"Dublin", "Cork", "Galway", "Limerick"},
		phones: []string{"085 1xx xxxx", "087 2xx xxxx", "01 6xx xxxx"},
		female: []string{"Siobhán", "Aoife", "Saoirse", "Róisín", "Clodagh"},
		male:   []string{"Seán", "Pádraig", "Oisín", "Cian", "Tadhg"},
		surnames: []string{"Ó Súilleabháin", "Ní Bhriain", "Murphy", "O'Brien",
			"Kelly", "Mac Cárthaigh"},
	},
	{
		code:   "DE",
		cities: []string{"Berlin", "München", "Hamburg", "Köln", "Düsseldorf", "Leipzig"},
		phones: []string{"030 2xxxxxxx", "089 2xxxxxx", "040 3xxxxxx",
			"0151 2xxxxxxx", "0171 3xxxxxx"},
		female: []string{"Mia", "Hannah", "Käthe", "Lena", "Sophie", "Jördis"},
		male:   []string{"Jürgen", "Lukas", "Jörg", "Günther", "Felix", "Maximilian"},
		surnames: []string{"Müller", "Schmidt", "Weiß", "Schäfer", "Köhler", "Groß",
			"Hoffmann"},
	},
	{
		code:   "FR",
		cities: []string{"Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille"},
		// 01 99 00 xx xx is kept by ARCEP for fiction.
		phones: []string{"01 99 00 xx xx", "06 12 xx xx xx", "07 56 xx xx xx",
			"04 72 xx xx xx"},
		female:   []string{"Chloé", "Léa", "Hélène", "Zoé", "Inès", "Anaïs"},
		male:     []string{"Théo", "François", "Gaël", "Noël", "Loïc", "Mathéo"},
		surnames: []string{"Martin", "Dubois", "Lefèvre", "Moreau", "Girard", "Bonnet"},
	},
	{
		code:   "ES",
		cities: []string{"Madrid", "Barcelona", "València", "Sevilla", "Bilbao", "Málaga"},
		phones: []string{"612 xx xx xx", "655 xx xx xx", "91 xxx xx xx",
			"93 xxx xx xx"},
		female: []string{"María", "Lucía", "Sofía", "Begoña", "Núria", "Ángela"},
		male:   []string{"José", "Martín", "Álvaro", "Íñigo", "Jesús", "Joaquín"},
		surnames: []string{"García", "Fernández", "Rodríguez", "Muñoz", "Núñez",
			"Ibáñez", "Peña"},
	},
	{
		code: "MX",
		cities: []string{"Ciudad de México", "Guadalajara", "Monterrey", "Puebla",
			"Querétaro", "Mérida"},
		phones:   []string{"55 2xxx xxxx", "33 3xxx xxxx", "81 8xxx xxxx"},
		female:   []string{"Ximena", "Valentina", "Regina", "Camila", "Guadalupe"},
		male:     []string{"Santiago", "Mateo", "Sebastián", "Diego", "Emiliano"},
		surnames: []string{"Hernández", "Ramírez", "Cruz", "Ñíguez", "Pérez", "Chávez"},
	},
	{
		code:     "SE",
		cities:   []string{"Stockholm", "Göteborg", "Malmö", "Uppsala", "Umeå"},
		phones:   []string{"070-2xx xx xx", "073-5xx xx xx", "08-5xx xxx xx"},
		female:   []string{"Åsa", "Maja", "Linnéa", "Astrid", "Sigrid", "Elsa"},
		male:     []string{"Björn", "Måns", "Göran", "Oskar", "Nils", "Sten"},
		surnames: []string{"Andersson", "Lindqvist", "Öberg", "Åberg", "Söderberg"},
	},
	{
		code:   "DK",
		cities: []string{"København", "Aarhus", "Odense", "Aalborg", "Esbjerg"},
		phones: []string{"20 4x xx xx", "31 2x xx xx", "33 1x xx xx"},
		female: []string{"Mette", "Sofie", "Lærke", "Kirsten", "Åse", "Ida"},
		male:   []string{"Søren", "Frederik", "Rasmus", "Jørgen", "Mads", "Bjørn"},
		surnames: []string{"Jensen", "Nielsen", "Kjærgaard", "Sørensen", "Møller",
			"Ærenlund", "Østergaard"},
	},
	{
		code:   "NO",
		cities: []string{"Oslo", "Bergen", "Trondheim", "Stavanger", "Tromsø", "Ålesund"},
		phones: []string{"41x xx xxx", "9xx xx xxx", "22 xx xx xx"},
		female: []string{"Ingrid", "Solveig", "Åse", "Sigrun", "Ragnhild"},
		male:   []string{"Øystein", "Håkon", "Ørjan", "Kåre", "Sindre"},
		surnames: []string{"Hansen", "Bjørnstad", "Sæther", "Løvås", "Ødegård",
			"Aasen"},
	},
	{
		code:   "PL",
		cities: []string{"Warszawa", "Kraków", "Wrocław", "Gdańsk", "Poznań", "Łódź"},
		phones: []string{"512 xxx xxx", "601 xxx xxx", "22 5xx xx xx"},
		female: []string{"Małgorzata", "Zofia", "Agnieszka", "Żaneta", "Katarzyna"},
		male:   []string{"Łukasz", "Wojciech", "Paweł", "Krzysztof", "Grzegorz"},
		surnames: []string{"Wiśniewski|Wiśniewska", "Nowak", "Wójcik", "Woźniak",
			"Zając", "Ślusarczyk", "Kamiński|Kamińska"},
	},
	{
		code:   "RU",
		cities: []string{"Москва", "Санкт-Петербург", "Новосибирск", "Казань"},
		phones: []string{"912 xxx-xx-xx", "916 xxx-xx-xx", "8 (495) xxx-xx-xx"},
		female: []string{"Анна/Anna", "Екатерина/Ekaterina", "Ольга/Olga",
			"Наталья/Natalya", "Татьяна/Tatyana"},
		male: []string{"Дмитрий/Dmitry", "Алексей/Alexey", "Сергей/Sergey",
			"Михаил/Mikhail", "Андрей/Andrey"},
		surnames: []string{"Иванов/Ivanov|Иванова/Ivanova",
			"Смирнов/Smirnov|Смирнова/Smirnova", "Кузнецов/Kuznetsov|Кузнецова/Kuznetsova",
			"Соколов/Sokolov|Соколова/Sokolova", "Волков/Volkov|Волкова/Volkova"},
	},
	{
		code:   "UA",
		cities: []string{"Київ", "Львів", "Харків", "Одеса", "Дніпро"},
		phones: []string{"050 xxx xxxx", "067 xxx xx xx", "044 2xx xx xx"},
		female: []string{"Олена/Olena", "Оксана/Oksana", "Ірина/Iryna",
			"Юлія/Yuliia", "Наталія/Nataliia"},
		male: []string{"Андрій/Andrii", "Олександр/Oleksandr", "Тарас/Taras",
			"Богдан/Bohdan", "Юрій/Yurii"},
		surnames: []string{"Шевченко/Shevchenko", "Коваленко/Kovalenko",
			"Бондаренко/Bondarenko", "Кравчук/Kravchuk", "Мельник/Melnyk",
			"Олійник/Oliinyk"},
	},
	{
		code:   "BG",
		cities: []string{"София", "Пловдив", "Варна", "Бургас"},
		phones: []string{"88 xxx xxxx", "87 xxx xxxx", "2 9xx xxxx"},
		female: []string{"Мария/Maria", "Иванка/Ivanka", "Десислава/Desislava",
			"Цветелина/Tsvetelina"},
		male: []string{"Георги/Georgi", "Димитър/Dimitar", "Христо/Hristo",
			"Стоян/Stoyan"},
		surnames: []string{"Иванов/Ivanov|Иванова/Ivanova",
			"Петров/Petrov|Петрова/Petrova",
			"Георгиев/Georgiev|Георгиева/Georgieva",
			"Димитров/Dimitrov|Димитрова/Dimitrova"},
	},
	{
		code:   "GR",
		cities: []string{"Αθήνα", "Θεσσαλονίκη", "Πάτρα", "Ηράκλειο"},
		phones: []string{"691 xxx xxxx", "694 xxx xxxx", "210 xxx xxxx"},
		female: []string{"Μαρία/Maria", "Ελένη/Eleni", "Αικατερίνη/Aikaterini",
			"Σοφία/Sofia", "Δήμητρα/Dimitra"},
		male: []string{"Γιώργος/Giorgos", "Δημήτρης/Dimitris", "Νίκος/Nikos",
			"Κωνσταντίνος/Konstantinos", "Γιάννης/Giannis"},
		surnames: []string{"Παπαδόπουλος/Papadopoulos|Παπαδοπούλου/Papadopoulou",
			"Παπαδάκης/Papadakis|Παπαδάκη/Papadaki", "Οικονόμου/Oikonomou",
			"Γεωργίου/Georgiou", "Καραγιάννης/Karagiannis|Καραγιάννη/Karagianni"},
	},
	{
		code:   "JP",
		cities: []string{"東京", "大阪", "横浜", "名古屋", "福岡", "札幌"},
		phones: []string{"090-1xxx-xxxx", "080-2xxx-xxxx", "03-5xxx-xxxx",
			"06-6xxx-xxxx"},
		female: []string{"花子/Hanako", "陽菜/Hina", "結衣/Yui", "さくら/Sakura",
			"美咲/Misaki", "ナオミ/Naomi"},
		male: []string{"太郎/Taro", "翔太/Shota", "大輔/Daisuke", "蓮/Ren",
			"ケン/Ken"},
		surnames: []string{"佐藤/Sato", "鈴木/Suzuki", "高橋/Takahashi", "田中/Tanaka",
			"渡辺/Watanabe", "山本/Yamamoto"},
	},
	{
		code:   "CN",
		cities: []string{"北京", "上海", "广州", "深圳", "杭州", "成都"},
		phones: []string{"131 xxxx xxxx", "139 xxxx xxxx", "010 6xxx xxxx",
			"021 5xxx xxxx"},
		female: []string{"秀英/Xiuying", "静/Jing", "芳/Fang", "婷/Ting", "丽/Li"},
		male:   []string{"伟/Wei", "强/Qiang", "磊/Lei", "军/Jun", "杰/Jie"},
		surnames: []string{"王/Wang", "李/Li", "张/Zhang", "刘/Liu", "陈/Chen",
			"黄/Huang"},
	},
	{
		code:   "KR",
		cities: []string{"서울", "부산", "인천", "대구", "성남"},
		phones: []string{"010-xxxx-xxxx", "02-3xxx-xxxx", "031-7xx-xxxx"},
		female: []string{"서연/Seoyeon", "지우/Jiwoo", "민지/Minji", "수빈/Subin",
			"하은/Haeun"},
		male: []string{"민준/Minjun", "서준/Seojun", "도윤/Doyun", "지훈/Jihun",
			"현우/Hyunwoo"},
		surnames: []string{"김/Kim", "이/Lee", "박/Park", "최/Choi", "정/Jung",
			"강/Kang"},
	},
	{
		code:   "IN",
		cities: []string{"मुंबई", "दिल्ली", "Bengaluru", "Chennai", "Hyderabad", "पुणे"},
		phones: []string{"98xxx xxxxx", "91xxx xxxxx", "022 2xxx xxxx"},
		female: []string{"प्रिया/Priya", "अनन्या/Ananya", "नेहा/Neha",
			"कविता/Kavita", "Lakshmi", "Divya"},
		male: []string{"राहुल/Rahul", "अमित/Amit", "अर्जुन/Arjun", "रोहित/Rohit",
			"Karthik", "Venkatesh"},
		surnames: []string{"शर्मा/Sharma", "गुप्ता/Gupta", "सिंह/Singh",
			"मिश्रा/Mishra", "जोशी/Joshi", "Iyer", "Reddy", "Nair"},
	},
	{
		code:   "AE",
		cities: []string{"دبي", "أبوظبي", "الشارقة"},
		phones: []string{"050 xxx xxxx", "055 xxx xxxx", "04 3xx xxxx"},
		female: []string{"ليلى/Layla", "فاطمة/Fatima", "مريم/Mariam", "نورة/Noura",
			"سارة/Sara"},
		male: []string{"محمد/Mohammed", "أحمد/Ahmed", "عمر/Omar", "خالد/Khalid",
			"يوسف/Yousef"},
		surnames: []string{"حداد/Haddad", "المنصوري/Al Mansoori", "النعيمي/Al Nuaimi",
			"الشامسي/Al Shamsi", "الهاشمي/Al Hashimi", "خوري/Khoury"},
	},
	{
		code:   "EG",
		cities: []string{"القاهرة", "الإسكندرية", "الجيزة"},
		phones: []string{"010 xxxx xxxx", "012 xxxx xxxx", "02 2xxx xxxx"},
		female: []string{"نور/Nour", "ياسمين/Yasmin", "هبة/Heba", "منى/Mona"},
		male:   []string{"مصطفى/Mostafa", "كريم/Karim", "طارق/Tarek", "حسن/Hassan"},
		surnames: []string{"عبد الله/Abdallah", "إبراهيم/Ibrahim", "السيد/El Sayed",
			"حسين/Hussein", "فهمي/Fahmy"},
	},
}

// company is a made-up employer. Home is the country most of its staff are
// in; an empty Home means people from every country work there.
type company struct {
	name, domain, home string
}

var companies = []company{
	{"Northwind Traders", "northwind-traders.example", ""},
	{"Lumen Atlas Analytics", "lumen-atlas.example", ""},
	{"Kestrel Payments", "kestrel-payments.example", ""},
	{"Meridian Health Partners", "meridian-health.example", ""},
	{"Greenfield Learning", "greenfield-learning.example", ""},
	{"Bluebell Insurance", "bluebell-insurance.example", "GB"},
	{"Harbourside Media", "harbourside-media.example", "IE"},
	{"Blauberg Maschinenbau", "blauberg-maschinenbau.example", "DE"},
	{"Müller & Söhne Präzision", "mueller-soehne.example", "DE"},
	{"Orbitale Systèmes", "orbitale-systemes.example", "FR"},
	{"Café Olé Tostadores", "cafe-ole.example", "ES"},
	{"Tierra Verde Alimentos", "tierra-verde.example", "MX"},
	{"Fjordlys Energi", "fjordlys-energi.example", "NO"},
	{"Nordlys Bank", "nordlys-bank.example", "DK"},
	{"Skärgård Software", "skargard-software.example", "SE"},
	{"Wisła Robotics", "wisla-robotics.example", "PL"},
	{"Volga Freight", "volga-freight.example", "RU"},
	{"Dnipro Agro", "dnipro-agro.example", "UA"},
	{"Balkan Pharma Labs", "balkan-pharma.example", "BG"},
	{"Aegean Maritime", "aegean-maritime.example", "GR"},
	{"Sakura Logistics", "sakura-logistics.example", "JP"},
	{"Pearl River Textiles", "pearl-river-textiles.example", "CN"},
	{"Hanbit Semiconductors", "hanbit-semi.example", "KR"},
	{"Ganges Software Services", "ganges-software.example", "IN"},
	{"Desert Rose Trading", "desert-rose-trading.example", "AE"},
	{"Nilo Health", "nilo-health.example", "EG"},
	{"Prairie Wind Outfitters", "prairie-wind.example", "US"},
}

// titles lists job titles by the seniority that contact.SeniorityOf gives
// them, with how often that level is drawn (per 100 people).
var titles = []struct {
	level  contact.Seniority
	weight int
	titles []string
}{
	{contact.CLevel, 5, []string{"Chief Executive Officer", "Chief Technology Officer",
		"Chief Financial Officer", "Chief Privacy Officer", "Co-Founder & CEO",
		"Chief Marketing Officer"}},
	{contact.VP, 8, []string{"VP of Sales", "Vice President, Engineering",
		"Head of Partnerships", "SVP Operations", "Head of Data"}},
	{contact.Director, 12, []string{"Director of Marketing", "Engineering Director",
		"Principal Consultant", "Director, Customer Success", "IT Director"}},
	{contact.Manager, 20, []string{"Sales Manager", "Product Manager",
		"Team Lead, Customer Support", "Procurement Manager", "Warehouse Supervisor"}},
	{contact.Senior, 25, []string{"Senior Software Engineer", "Senior Account Executive",
		"Staff Data Scientist", "Sr. Financial Analyst", "Senior Recruiter"}},
	{contact.Entry, 30, []string{"Software Engineer", "Account Executive",
		"Marketing Coordinator", "Sales Development Representative", "Data Analyst",
		"Junior Recruiter"}},
}

// sources are where generated contacts were collected. A URL that holds
// "{domain}" points at the contact's company.
var sources = []struct {
	kind      contact.SourceKind
	name, url string
}{
	{contact.PublicWeb, "Company website", "https://www.{domain}/about/team"},
	{contact.PublicWeb, "Conference speaker page",
		"https://events.example/b2b-summit-2025/speakers"},
	{contact.PublicWeb, "Press release", "https://www.{domain}/press"},
	{contact.Partner, "Lumen Data partner feed",
		"https://feeds.lumen-data.example/v2/contacts"},
	{contact.Partner, "TradeFair lead exchange", "https://leads.tradefair.example/export"},
	{contact.Community, "Community contribution",
		"https://community.immagnify.example/contributions"},
	{contact.Community, "Browser extension capture",
		"https://community.immagnify.example/captures"},
}
