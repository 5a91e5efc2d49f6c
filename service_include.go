package clientele

import (
	"context"
	"strings"
)

// Include lists the relationship paths whose records a read loads along with
// its primary records: "owner", "contacts", "client.owner". A path is one
// relationship name, or two joined by a dot (the second one a relationship of
// the first one's records). Which paths exist depends on the primary type:
//
//   - clients: owner, salesperson, case_manager, main_contact, contacts, locations
//   - contacts and locations: client, and client.X for each X of clients
//   - tokens: user
//   - users: none
//
// A path with two names loads the records of its first name too. An unknown
// path is a Malformed error whose problem names the field "include" (code
// invalid_include). nil (or empty) loads nothing.
type Include []string

// Related holds the records that a read's include paths reach, by type, each
// record once and in id order, all of the actor's company and read in the
// same transaction as the primary records. Each relationship is loaded with
// one query for all the primary records, never one per record.
//
// A record of the primary type is here too when a path leads back to it
// (client.contacts of a list of contacts): whoever renders Related decides
// what to show twice.
type Related struct {
	Clients   []Client
	Contacts  []Contact
	Locations []Location
	Users     []User

	// ClientContacts reports that Contacts holds every contact of every
	// client of the read (the primary clients, or Clients when the primary
	// records are contacts or locations): the contacts relationship was
	// included, so each client's contacts can be listed in full.
	ClientContacts bool
	// ClientLocations is ClientContacts for Locations.
	ClientLocations bool
}

// includeOf is the primary type of a read with includes.
type includeOf uint8

const (
	includeOfClients includeOf = iota
	includeOfContacts
	includeOfLocations
	includeOfTokens
	includeOfUsers
)

var includeOfNames = [...]string{"clients", "contacts", "locations", "tokens", "users"}

// clientRels is a set of relationships of clients.
type clientRels uint8

const (
	relOwner clientRels = 1 << iota
	relSalesperson
	relCaseManager
	relMainContact
	relContacts
	relLocations
)

// clientRelations are the includable relationships of clients, in document order.
var clientRelations = [...]struct {
	name string
	rel  clientRels
}{
	{"owner", relOwner}, {"salesperson", relSalesperson}, {"case_manager", relCaseManager},
	{"main_contact", relMainContact}, {"contacts", relContacts}, {"locations", relLocations},
}

func clientRelation(name string) clientRels {
	for _, r := range clientRelations {
		if r.name == name {
			return r.rel
		}
	}
	return 0
}

// includePaths returns the include paths of a primary type, for messages.
func includePaths(of includeOf) []string {
	var paths []string
	switch of {
	case includeOfClients:
		for _, r := range clientRelations {
			paths = append(paths, r.name)
		}
	case includeOfContacts, includeOfLocations:
		paths = append(paths, "client")
		for _, r := range clientRelations {
			paths = append(paths, "client."+r.name)
		}
	case includeOfTokens:
		paths = append(paths, "user")
	}
	return paths
}

// includePlan is a checked Include: what to load for a read.
type includePlan struct {
	client  bool       // contacts, locations: their clients
	clients clientRels // of the primary clients, or of the clients that client loads
	user    bool       // tokens: their users
}

// empty reports whether p loads nothing.
func (p includePlan) empty() bool { return p == includePlan{} }

// planInclude checks include against the paths of the primary type of and
// returns what it loads. Malformed (invalid_include), naming every bad path.
func planInclude(of includeOf, include Include) (includePlan, error) {
	var p includePlan
	var ps Problems
	for _, path := range include {
		if !p.add(of, path) {
			allowed := "none"
			if paths := includePaths(of); paths != nil {
				allowed = strings.Join(paths, ", ")
			}
			ps.Add("include", "invalid_include", "%q is not an include path of %s (allowed: %s)",
				path, includeOfNames[of], allowed)
		}
	}
	if ps != nil {
		return includePlan{}, &Error{Kind: Malformed, Problems: ps}
	}
	return p, nil
}

// add adds path to p and reports whether it is a path of the primary type of.
func (p *includePlan) add(of includeOf, path string) bool {
	switch of {
	case includeOfClients:
		rel := clientRelation(path)
		p.clients |= rel
		return rel != 0
	case includeOfContacts, includeOfLocations:
		first, rest, two := strings.Cut(path, ".")
		if first != "client" {
			return false
		}
		if two {
			rel := clientRelation(rest)
			if rel == 0 {
				return false
			}
			p.clients |= rel
		}
		p.client = true
		return true
	case includeOfTokens:
		p.user = p.user || path == "user"
		return path == "user"
	}
	return false
}

// load loads, in tx, the related records of primary (a slice of the primary
// type's records) that p names: one query per relationship, none for a
// relationship that names no record.
func (p includePlan) load(ctx context.Context, tx Tx, companyID int64, primary any) (Related, error) {
	var rel Related
	if p.empty() {
		return rel, nil
	}
	l := loader{ctx: ctx, tx: tx, companyID: companyID, rel: &rel}
	var err error
	switch items := primary.(type) {
	case []Client:
		err = l.ofClients(items, p.clients)
	case []Contact:
		err = l.viaClient(uniqueIDs(items, func(c Contact) int64 { return c.ClientID }), p.clients)
	case []Location:
		err = l.viaClient(uniqueIDs(items, func(l Location) int64 { return l.ClientID }), p.clients)
	case []Token:
		if p.user {
			err = l.users(uniqueIDs(items, func(t Token) int64 { return t.UserID }))
		}
	}
	return rel, err
}

// loader loads related records into rel.
type loader struct {
	ctx       context.Context
	tx        Tx
	companyID int64
	rel       *Related
}

// viaClient loads the clients with ids and then their related records that want names.
func (l loader) viaClient(ids []int64, want clientRels) error {
	if len(ids) == 0 {
		return nil
	}
	clients, err := l.tx.Clients(l.ctx, l.companyID, ClientQuery{IDs: ids})
	if err != nil {
		return err
	}
	l.rel.Clients = clients
	return l.ofClients(clients, want)
}

// ofClients loads the related records of clients that want names. Users of
// several relationships come in one query; main contacts come with the
// contacts when those are loaded too.
func (l loader) ofClients(clients []Client, want clientRels) (err error) {
	if want == 0 || len(clients) == 0 {
		return nil
	}
	ids := uniqueIDs(clients, func(c Client) int64 { return c.ID })
	if want&relContacts != 0 {
		l.rel.ClientContacts = true
		if l.rel.Contacts, err = l.tx.Contacts(l.ctx, l.companyID, ContactQuery{ClientIDs: ids}); err != nil {
			return err
		}
	} else if want&relMainContact != 0 {
		if main := uniqueIDs(clients, func(c Client) int64 { return c.MainContactID }); len(main) > 0 {
			if l.rel.Contacts, err = l.tx.Contacts(l.ctx, l.companyID, ContactQuery{IDs: main}); err != nil {
				return err
			}
		}
	}
	if want&relLocations != 0 {
		l.rel.ClientLocations = true
		if l.rel.Locations, err = l.tx.Locations(l.ctx, l.companyID, LocationQuery{ClientIDs: ids}); err != nil {
			return err
		}
	}
	var userOf []func(Client) int64
	if want&relOwner != 0 {
		userOf = append(userOf, func(c Client) int64 { return c.OwnerID })
	}
	if want&relSalesperson != 0 {
		userOf = append(userOf, func(c Client) int64 { return c.SalespersonID })
	}
	if want&relCaseManager != 0 {
		userOf = append(userOf, func(c Client) int64 { return c.CaseManagerID })
	}
	return l.users(uniqueIDs(clients, userOf...))
}

// users loads the users with ids.
func (l loader) users(ids []int64) (err error) {
	if len(ids) > 0 {
		l.rel.Users, err = l.tx.Users(l.ctx, l.companyID, UserQuery{IDs: ids})
	}
	return err
}

// uniqueIDs returns the ids that the functions of returns for items, each
// once, in the order first seen, without 0 (no record).
func uniqueIDs[T any](items []T, of ...func(T) int64) []int64 {
	var ids []int64
	seen := make(map[int64]bool, len(items))
	for _, it := range items {
		for _, f := range of {
			if id := f(it); id != 0 && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids
}
