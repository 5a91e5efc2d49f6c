package seed

// locale is a country's names, cities and conventions.
type locale struct {
	country  string // ISO 3166-1 alpha-2
	tld      string
	weight   int
	first    []string
	last     []string
	suffixes []string // legal forms
	words    []string // words of trade names
	streets  []string
	cities   []city
	phone    func(r *rnd, c city) string
	postal   func(r *rnd) string
	house    func(r *rnd) string
}

type city struct {
	name   string
	area   string // dialling area code as written nationally, without the trunk 0
	region string
}

var locales = []*locale{
	{
		country: "DE", tld: "de", weight: 26,
		first: []string{"Jürgen", "Sören", "Björn", "Jörg", "Günther", "Max", "Lukas", "Jonas", "Felix", "Anna", "Lena", "Sophie", "Käthe", "Mia",
			"Hannah", "Lea", "Ursula", "Uwe", "Dieter", "Klaus", "Stefan", "Sabine", "Birgit", "Heike", "Tobias", "Maximilian", "Frauke", "Malte"},
		last: []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch",
			"Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann",
			"Lange", "Schmitt", "Werner", "Krause", "Köhler", "Groß", "Jäger", "Böhm", "Weißmüller", "Strauß", "Öztürk"},
		suffixes: []string{"GmbH", "GmbH & Co. KG", "AG", "KG", "e.K.", "UG (haftungsbeschränkt)", "OHG"},
		words:    []string{"Bau", "Technik", "Elektro", "Logistik", "Maschinenbau", "Bäckerei", "Metallbau", "Dienstleistungen", "Immobilien", "Möbelhaus", "Gartenbau", "Brauerei", "Spedition", "Druckerei"},
		streets:  []string{"Hauptstraße", "Bahnhofstraße", "Schulstraße", "Gartenstraße", "Dorfstraße", "Lindenallee", "Königstraße", "Mühlenweg", "Friedrichstraße", "Am Marktplatz", "Goethestraße", "Schillerstraße"},
		cities: []city{{"Berlin", "30", "Berlin"}, {"München", "89", "Bayern"}, {"Hamburg", "40", "Hamburg"}, {"Köln", "221", "Nordrhein-Westfalen"},
			{"Frankfurt am Main", "69", "Hessen"}, {"Stuttgart", "711", "Baden-Württemberg"}, {"Düsseldorf", "211", "Nordrhein-Westfalen"},
			{"Leipzig", "341", "Sachsen"}, {"Dresden", "351", "Sachsen"}, {"Nürnberg", "911", "Bayern"}, {"Lübeck", "451", "Schleswig-Holstein"},
			{"Osnabrück", "541", "Niedersachsen"}, {"Würzburg", "931", "Bayern"}, {"Göttingen", "551", "Niedersachsen"}},
		phone: func(r *rnd, c city) string {
			if r.IntN(4) == 0 {
				return "0" + c.area + " " + r.digits(7)
			}
			return "+49 " + c.area + " " + r.digits(6+r.IntN(2))
		},
		postal: func(r *rnd) string { return r.digits(5) },
		house:  func(r *rnd) string { return houseNumber(r, "a") },
	},
	{
		country: "AT", tld: "at", weight: 6,
		first:    []string{"Lukas", "Tobias", "Florian", "Katharina", "Theresa", "Anna", "Sebastian", "Maria", "Jürgen", "Andrea", "Wolfgang", "Günter"},
		last:     []string{"Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Steiner", "Moser", "Mayer", "Hofer", "Leitner", "Berger", "Fuchs", "Eder", "Größinger", "Pölzl"},
		suffixes: []string{"GmbH", "GesmbH", "AG", "KG", "e.U."},
		words:    []string{"Holzbau", "Installationen", "Tischlerei", "Hotel", "Alpenblick", "Weinbau", "Transporte"},
		streets:  []string{"Hauptplatz", "Mariahilfer Straße", "Landstraßer Hauptstraße", "Kärntner Straße", "Bahnhofstraße", "Dorfplatz"},
		cities:   []city{{"Wien", "1", "Wien"}, {"Graz", "316", "Steiermark"}, {"Linz", "732", "Oberösterreich"}, {"Salzburg", "662", "Salzburg"}, {"Innsbruck", "512", "Tirol"}, {"Klagenfurt am Wörthersee", "463", "Kärnten"}},
		phone:    func(r *rnd, c city) string { return "+43 " + c.area + " " + r.digits(6) },
		postal:   func(r *rnd) string { return r.digits(4) },
		house:    func(r *rnd) string { return houseNumber(r, "") },
	},
	{
		country: "CH", tld: "ch", weight: 4,
		first:    []string{"Luca", "Noah", "Lea", "Mia", "Reto", "Urs", "Beat", "Corinne", "Céline", "Jérôme", "Ueli", "Nadja"},
		last:     []string{"Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Schneider", "Brunner", "Zürcher", "Favre", "Rochat", "Bühler"},
		suffixes: []string{"AG", "GmbH", "SA", "Sàrl"},
		words:    []string{"Uhren", "Treuhand", "Käserei", "Informatik", "Präzisionstechnik", "Bergbahnen"},
		streets:  []string{"Bahnhofstrasse", "Rue du Rhône", "Seestrasse", "Dorfstrasse", "Hauptgasse"},
		cities:   []city{{"Zürich", "44", "ZH"}, {"Genève", "22", "GE"}, {"Basel", "61", "BS"}, {"Bern", "31", "BE"}, {"Lausanne", "21", "VD"}, {"Luzern", "41", "LU"}},
		phone: func(r *rnd, c city) string {
			return "+41 " + c.area + " " + r.digits(3) + " " + r.digits(2) + " " + r.digits(2)
		},
		postal: func(r *rnd) string { return r.digits(4) },
		house:  func(r *rnd) string { return houseNumber(r, "") },
	},
	{
		country: "FR", tld: "fr", weight: 12,
		first: []string{"Élodie", "Jérôme", "François", "Amélie", "Hélène", "Zoé", "Noël", "Gaëlle", "Loïc", "Anaïs", "Thérèse", "Benoît",
			"Camille", "Léa", "Mathéo", "Chloé", "Nicolas", "Julien", "Manon", "Inès"},
		last: []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent",
			"Lefèvre", "Michel", "Garcia", "Fournier", "Girard", "Bonnet", "Dupré", "Lemaître", "Chevalier", "Gauthier", "Perrin", "Faure"},
		suffixes: []string{"SARL", "SAS", "SA", "EURL", "SASU"},
		words:    []string{"Boulangerie", "Transports", "Bâtiment", "Électricité", "Conseil", "Menuiserie", "Vins", "Pâtisserie", "Imprimerie", "Énergies"},
		streets:  []string{"rue de la République", "avenue Victor Hugo", "rue de l'Église", "boulevard Saint-Michel", "rue des Écoles", "place du Marché", "chemin des Vignes"},
		cities: []city{{"Paris", "1", "Île-de-France"}, {"Lyon", "4", "Auvergne-Rhône-Alpes"}, {"Marseille", "4", "Provence-Alpes-Côte d'Azur"},
			{"Toulouse", "5", "Occitanie"}, {"Nice", "4", "Provence-Alpes-Côte d'Azur"}, {"Nantes", "2", "Pays de la Loire"},
			{"Besançon", "3", "Bourgogne-Franche-Comté"}, {"Orléans", "2", "Centre-Val de Loire"}, {"Nîmes", "4", "Occitanie"}, {"Saint-Étienne", "4", "Auvergne-Rhône-Alpes"}},
		phone: func(r *rnd, c city) string {
			if r.IntN(3) == 0 {
				return "0" + c.area + " " + r.digits(2) + " " + r.digits(2) + " " + r.digits(2) + " " + r.digits(2)
			}
			return "+33 " + c.area + " " + r.digits(2) + " " + r.digits(2) + " " + r.digits(2) + " " + r.digits(2)
		},
		postal: func(r *rnd) string { return r.digits(5) },
		house:  func(r *rnd) string { return houseNumber(r, " bis") },
	},
	{
		country: "PL", tld: "pl", weight: 10,
		first: []string{"Łukasz", "Paweł", "Michał", "Wojciech", "Zofia", "Małgorzata", "Agnieszka", "Katarzyna", "Grzegorz", "Bartłomiej",
			"Jędrzej", "Żaneta", "Krzysztof", "Joanna", "Piotr", "Ewa"},
		last: []string{"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański",
			"Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Wojciechowski", "Kwiatkowski", "Krawczyk", "Piątek", "Gołębiowski", "Żak"},
		suffixes: []string{"sp. z o.o.", "S.A.", "sp.j.", "sp.k."},
		words:    []string{"Budownictwo", "Transport", "Usługi", "Handel", "Piekarnia", "Meble", "Drukarnia", "Ogrody"},
		streets:  []string{"ul. Marszałkowska", "ul. Długa", "ul. Świętokrzyska", "ul. Piłsudskiego", "ul. Mickiewicza", "ul. Kościuszki", "al. Jerozolimskie"},
		cities: []city{{"Warszawa", "22", "mazowieckie"}, {"Kraków", "12", "małopolskie"}, {"Łódź", "42", "łódzkie"}, {"Wrocław", "71", "dolnośląskie"},
			{"Poznań", "61", "wielkopolskie"}, {"Gdańsk", "58", "pomorskie"}, {"Szczecin", "91", "zachodniopomorskie"}, {"Białystok", "85", "podlaskie"}, {"Toruń", "56", "kujawsko-pomorskie"}},
		phone: func(r *rnd, c city) string {
			return "+48 " + c.area + " " + r.digits(3) + " " + r.digits(2) + " " + r.digits(2)
		},
		postal: func(r *rnd) string { return r.digits(2) + "-" + r.digits(3) },
		house:  func(r *rnd) string { return houseNumber(r, "/3") },
	},
	{
		country: "ES", tld: "es", weight: 10,
		first: []string{"José", "María", "Íñigo", "Begoña", "Ángel", "Sofía", "Lucía", "Martín", "Álvaro", "Nuria", "Raúl", "Inés", "Jesús", "Pilar", "Joaquín", "Mónica"},
		last: []string{"García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Jiménez", "Muñoz",
			"Álvarez", "Romero", "Núñez", "Domínguez", "Ibáñez", "Peña", "Castaño"},
		suffixes: []string{"S.L.", "S.A.", "S.L.U.", "S.Coop."},
		words:    []string{"Construcciones", "Transportes", "Panadería", "Asesoría", "Distribuciones", "Cerámica", "Vinos", "Climatización"},
		streets:  []string{"Calle Mayor", "Gran Vía", "Avenida de la Constitución", "Calle del Sol", "Paseo de Gracia", "Plaza de España", "Calle Alcalá"},
		cities: []city{{"Madrid", "91", "Comunidad de Madrid"}, {"Barcelona", "93", "Cataluña"}, {"Valencia", "96", "Comunidad Valenciana"},
			{"Sevilla", "95", "Andalucía"}, {"Málaga", "95", "Andalucía"}, {"Bilbao", "94", "País Vasco"}, {"Córdoba", "957", "Andalucía"}, {"A Coruña", "981", "Galicia"}, {"León", "987", "Castilla y León"}},
		phone:  func(r *rnd, c city) string { return "+34 " + c.area + " " + r.digits(9-len(c.area)) },
		postal: func(r *rnd) string { return r.digits(5) },
		house:  func(r *rnd) string { return houseNumber(r, "") },
	},
	{
		country: "SE", tld: "se", weight: 4,
		first:    []string{"Åsa", "Björn", "Göran", "Linnéa", "Måns", "Sofia", "Erik", "Oscar", "Ingrid", "Märta", "Sören", "Åke"},
		last:     []string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Ström", "Åberg", "Söderström", "Lindqvist", "Öberg"},
		suffixes: []string{"AB", "HB", "AB (publ)"},
		words:    []string{"Bygg", "Trä", "Fastigheter", "Konsult", "Åkeri", "Måleri", "Städ"},
		streets:  []string{"Storgatan", "Drottninggatan", "Kungsgatan", "Vasagatan", "Skolgatan", "Ågatan"},
		cities:   []city{{"Stockholm", "8", "Stockholms län"}, {"Göteborg", "31", "Västra Götalands län"}, {"Malmö", "40", "Skåne län"}, {"Uppsala", "18", "Uppsala län"}, {"Västerås", "21", "Västmanlands län"}, {"Örebro", "19", "Örebro län"}, {"Linköping", "13", "Östergötlands län"}},
		phone: func(r *rnd, c city) string {
			return "+46 " + c.area + " " + r.digits(3) + " " + r.digits(3) + " " + r.digits(2)
		},
		postal: func(r *rnd) string { return r.digits(3) + " " + r.digits(2) },
		house:  func(r *rnd) string { return houseNumber(r, "") },
	},
	{
		country: "NO", tld: "no", weight: 3,
		first:    []string{"Ola", "Kari", "Øystein", "Bjørn", "Ingrid", "Sigrid", "Håkon", "Siri", "Ståle", "Ørjan"},
		last:     []string{"Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Berg", "Haugen", "Bråthen", "Sæther", "Løkken", "Østby"},
		suffixes: []string{"AS", "ASA", "ANS"},
		words:    []string{"Fisk", "Bygg", "Rørlegger", "Elektro", "Eiendom", "Sjøtransport"},
		streets:  []string{"Storgata", "Kirkegata", "Karl Johans gate", "Bryggen", "Strandveien"},
		cities:   []city{{"Oslo", "2", "Oslo"}, {"Bergen", "5", "Vestland"}, {"Trondheim", "7", "Trøndelag"}, {"Stavanger", "5", "Rogaland"}, {"Tromsø", "7", "Troms"}, {"Bodø", "7", "Nordland"}},
		phone: func(r *rnd, c city) string {
			return "+47 " + r.digits(2) + " " + r.digits(2) + " " + r.digits(2) + " " + r.digits(2)
		},
		postal: func(r *rnd) string { return r.digits(4) },
		house:  func(r *rnd) string { return houseNumber(r, "B") },
	},
	{
		country: "DK", tld: "dk", weight: 3,
		first:    []string{"Søren", "Mads", "Frederik", "Ida", "Freja", "Kirsten", "Jørgen", "Mette", "Rasmus", "Signe"},
		last:     []string{"Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen", "Jørgensen", "Møller", "Mortensen", "Kjær"},
		suffixes: []string{"ApS", "A/S", "I/S", "IVS"},
		words:    []string{"Tømrer", "VVS", "Rengøring", "Bageri", "Smedje", "Design"},
		streets:  []string{"Strøget", "Vestergade", "Østergade", "Nørregade", "Algade", "Søndergade"},
		cities:   []city{{"København", "", "Hovedstaden"}, {"Aarhus", "", "Midtjylland"}, {"Odense", "", "Syddanmark"}, {"Aalborg", "", "Nordjylland"}, {"Esbjerg", "", "Syddanmark"}, {"Køge", "", "Sjælland"}},
		phone: func(r *rnd, c city) string {
			return "+45 " + r.digits(2) + " " + r.digits(2) + " " + r.digits(2) + " " + r.digits(2)
		},
		postal: func(r *rnd) string { return r.digits(4) },
		house:  func(r *rnd) string { return houseNumber(r, ", 2. tv") },
	},
	{
		country: "TR", tld: "com.tr", weight: 6,
		first:    []string{"Ayşe", "Fatma", "Emine", "Hülya", "Gülşen", "Çağla", "Mehmet", "Mustafa", "Ahmet", "Ömer", "Şükrü", "İsmail", "Ümit", "Barış", "Doğan", "Ilgın"},
		last:     []string{"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Koç", "Kurt", "Özkan", "Şimşek", "Güneş"},
		suffixes: []string{"A.Ş.", "Ltd. Şti.", "San. ve Tic. A.Ş."},
		words:    []string{"İnşaat", "Tekstil", "Gıda", "Lojistik", "Mühendislik", "Turizm", "Otomotiv", "Ticaret"},
		streets:  []string{"Atatürk Caddesi", "İstiklal Caddesi", "Cumhuriyet Caddesi", "Bağdat Caddesi", "Gazi Mustafa Kemal Bulvarı", "Çiçek Sokak"},
		cities: []city{{"İstanbul", "212", "İstanbul"}, {"Ankara", "312", "Ankara"}, {"İzmir", "232", "İzmir"}, {"Bursa", "224", "Bursa"},
			{"Antalya", "242", "Antalya"}, {"Eskişehir", "222", "Eskişehir"}, {"Şanlıurfa", "414", "Şanlıurfa"}, {"Muğla", "252", "Muğla"}},
		phone: func(r *rnd, c city) string {
			return "+90 " + c.area + " " + r.digits(3) + " " + r.digits(2) + " " + r.digits(2)
		},
		postal: func(r *rnd) string { return r.digits(5) },
		house:  func(r *rnd) string { return "No: " + houseNumber(r, "") },
	},
	{
		country: "GB", tld: "co.uk", weight: 8,
		first:    []string{"Oliver", "George", "Harry", "Amelia", "Olivia", "Isla", "Siobhán", "Niamh", "Seán", "Emily", "James", "Charlotte"},
		last:     []string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Evans", "Thomas", "Roberts", "O'Brien", "Ó Súilleabháin", "MacDonald"},
		suffixes: []string{"Ltd", "Limited", "PLC", "LLP", "& Sons Ltd"},
		words:    []string{"Builders", "Consulting", "Catering", "Joinery", "Logistics", "Plumbing", "Print", "Motors"},
		streets:  []string{"High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane", "King Street", "Park Avenue"},
		cities:   []city{{"London", "20", "Greater London"}, {"Manchester", "161", "Greater Manchester"}, {"Birmingham", "121", "West Midlands"}, {"Leeds", "113", "West Yorkshire"}, {"Glasgow", "141", "Scotland"}, {"Bristol", "117", "Bristol"}, {"Edinburgh", "131", "Scotland"}},
		phone: func(r *rnd, c city) string {
			switch r.IntN(3) {
			case 0:
				return "0044 " + c.area + " " + r.digits(4) + " " + r.digits(4)
			case 1:
				return "0" + c.area + " " + r.digits(4) + " " + r.digits(4)
			}
			return "+44 " + c.area + " " + r.digits(4) + " " + r.digits(4)
		},
		postal: func(r *rnd) string {
			return string(rune('A'+r.IntN(26))) + string(rune('A'+r.IntN(26))) + r.digits(1) + " " + r.digits(1) + string(rune('A'+r.IntN(26))) + string(rune('A'+r.IntN(26)))
		},
		house: func(r *rnd) string { return houseNumber(r, "") },
	},
	{
		country: "US", tld: "com", weight: 8,
		first:    []string{"John", "Mary", "Michael", "Jennifer", "David", "Linda", "José", "Zoë", "Chloé", "Ethan", "Madison", "Tyler"},
		last:     []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Rodríguez", "Martínez", "Hernández", "Nguyen", "Anderson"},
		suffixes: []string{"Inc.", "LLC", "Corp.", "Co.", "LLP"},
		words:    []string{"Roofing", "Dental", "Realty", "Software", "Landscaping", "Auto Repair", "Bakery", "Insurance", "Logistics"},
		streets:  []string{"Main Street", "Oak Avenue", "Maple Drive", "Washington Blvd", "Elm Street", "Sunset Boulevard", "5th Avenue"},
		cities: []city{{"New York", "212", "NY"}, {"Los Angeles", "213", "CA"}, {"Chicago", "312", "IL"}, {"Houston", "713", "TX"},
			{"Phoenix", "602", "AZ"}, {"San José", "408", "CA"}, {"Seattle", "206", "WA"}, {"Boston", "617", "MA"}, {"Denver", "303", "CO"}},
		phone: func(r *rnd, c city) string {
			switch r.IntN(3) {
			case 0:
				return "(" + c.area + ") " + r.digits(3) + "-" + r.digits(4)
			case 1:
				return "+1 " + c.area + "-" + r.digits(3) + "-" + r.digits(4)
			}
			return "(555) " + r.digits(3) + "-" + r.digits(4) + " ext " + r.digits(2)
		},
		postal: func(r *rnd) string { return r.digits(5) },
		house:  func(r *rnd) string { return r.digits(1 + r.IntN(4)) },
	},
}

var positions = []string{"Geschäftsführer", "Geschäftsführerin", "Directeur général", "Directrice financière", "Prezes zarządu",
	"Director comercial", "Verkställande direktör", "Daglig leder", "Genel Müdür", "Head of Procurement", "Office Manager",
	"Buchhaltung", "Einkauf", "Responsable achats", "Księgowa", "Jefa de compras", "CFO", "CTO", "Sales Manager", "Assistant"}

var notes = []string{"Prefers e-mail over phone.", "Rechnungen bitte per Post.", "Payer à 30 jours fin de mois.",
	"Płatność przelewem, 14 dni.", "Llamar por la mañana.", "Ring before delivery.", "Önemli müşteri — öncelikli.",
	"Skicka faktura via e-post.", "Key account since 2019.", "Ansprechpartner wechselt häufig."}

func houseNumber(r *rnd, extra string) string {
	n := r.digits(1 + r.IntN(3))
	for len(n) > 1 && n[0] == '0' {
		n = n[1:]
	}
	if n == "0" {
		n = "1"
	}
	if extra != "" && r.IntN(8) == 0 {
		n += extra
	}
	return n
}
