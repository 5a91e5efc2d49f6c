package clientele

import "context"

// Clients returns a page of the actor's company's clients and the records
// that include names. Malformed (include, sort, search).
func (s *Service) Clients(ctx context.Context, a Actor, q ClientQuery, include Include) (List[Client], Related, error) {
	plan, err := planInclude(includeOfClients, include)
	if err == nil {
		err = checkList(q.Search, q.Sort, ClientSortFields)
	}
	if err != nil {
		return List[Client]{}, Related{}, err
	}
	return fetch(ctx, s, a, &q.Page, plan,
		func(tx Tx) ([]Client, error) { return tx.Clients(ctx, a.CompanyID, q) },
		func(tx Tx) (int, error) { return tx.CountClients(ctx, a.CompanyID, q) })
}

// Client returns a client of the actor's company and the records that
// include names. Malformed (include); NotFound.
func (s *Service) Client(ctx context.Context, a Actor, id int64, include Include) (Client, Related, error) {
	plan, err := planInclude(includeOfClients, include)
	if err != nil {
		return Client{}, Related{}, err
	}
	return readWith(ctx, s, a, plan, func(tx Tx) (Client, error) { return tx.Client(ctx, a.CompanyID, id) })
}

// CreateClient creates a client; types default to customer and the owner to
// the actor's user. An address creates the client's primary location.
// Invalid (attributes, users not in the company); Conflict (external_id taken).
func (s *Service) CreateClient(ctx context.Context, a Actor, in ClientInput, opts ...Options) (Client, error) {
	at := s.now()
	c := Client{CompanyID: a.CompanyID, Types: []string{TypeCustomer}, OwnerID: a.UserID, CreatedAt: at, UpdatedAt: at}
	ps := append(Problems(nil), in.Rejected...)
	c.apply(in, &ps)
	c.check(&ps)
	checkAddressInput(in, &ps)
	return write(ctx, s, func(tx Tx) (Client, error) {
		if err := checkClientUsers(ctx, tx, a.CompanyID, in, &ps); err != nil || ps != nil {
			return c, firstErr(err, ps.Err())
		}
		if err := tx.CreateClient(ctx, &c); err != nil {
			return c, err
		}
		if in.Address != nil {
			if err := s.setAddress(ctx, tx, c, in.Address); err != nil {
				return c, err
			}
		}
		c, err := tx.Client(ctx, a.CompanyID, c.ID)
		return created(ctx, s, tx, a.CompanyID, optionsOf(opts), c, err)
	})
}

// UpdateClient changes the attributes and relationships in names. An address
// replaces the primary location's address (creating the location when there
// is none); ClearAddress deletes the primary location. NotFound;
// PreconditionFailed (opts' If); Invalid; Conflict.
func (s *Service) UpdateClient(ctx context.Context, a Actor, id int64, in ClientInput, opts ...Options) (Client, error) {
	ps := append(Problems(nil), in.Rejected...)
	checkAddressInput(in, &ps)
	return write(ctx, s, func(tx Tx) (Client, error) {
		if err := tx.LockClient(ctx, a.CompanyID, id); err != nil {
			return Client{}, err
		}
		c, err := tx.Client(ctx, a.CompanyID, id)
		if err == nil {
			err = optionsOf(opts).check(c.Version())
		}
		if err != nil {
			return c, err
		}
		c.apply(in, &ps)
		c.check(&ps)
		if err := checkClientUsers(ctx, tx, a.CompanyID, in, &ps); err != nil || ps != nil {
			return c, firstErr(err, ps.Err())
		}
		c.UpdatedAt = s.next(c.UpdatedAt)
		if err := tx.UpdateClient(ctx, c); err != nil {
			return c, err
		}
		switch {
		case in.Address != nil:
			err = s.setAddress(ctx, tx, c, in.Address)
		case in.ClearAddress:
			var p Location
			if p, err = tx.PrimaryLocation(ctx, a.CompanyID, id); err == nil {
				err = tx.DeleteLocation(ctx, a.CompanyID, p.ID)
			} else if IsNotFound(err) {
				err = nil
			}
		}
		if err != nil {
			return c, err
		}
		return tx.Client(ctx, a.CompanyID, id)
	})
}

// DeleteClient deletes a client with its locations and contacts, and then
// the files of its logo and its contacts' images. NotFound;
// PreconditionFailed (opts' If).
func (s *Service) DeleteClient(ctx context.Context, a Actor, id int64, opts ...Options) error {
	imgs, err := write(ctx, s, func(tx Tx) ([]Image, error) {
		if o := optionsOf(opts); o.If != nil {
			c, err := tx.Client(ctx, a.CompanyID, id)
			if err = firstErr(err, o.check(c.Version())); err != nil {
				return nil, err
			}
		}
		imgs, err := tx.ClientImages(ctx, a.CompanyID, id)
		if err != nil {
			return nil, err
		}
		return imgs, tx.DeleteClient(ctx, a.CompanyID, id)
	})
	if err == nil {
		for i := range imgs {
			s.dropImages(ctx, &imgs[i])
		}
	}
	return err
}

// checkAddressInput normalises and checks a client's address in place.
func checkAddressInput(in ClientInput, ps *Problems) {
	if in.Address != nil {
		in.Address.normalize()
		in.Address.check(ps, "address.")
	}
}

// checkClientUsers adds a problem for every user a client input names that
// is not a user of the company.
func checkClientUsers(ctx context.Context, tx Tx, companyID int64, in ClientInput, ps *Problems) error {
	for _, r := range []struct {
		field string
		id    *int64
	}{{"owner", in.OwnerID}, {"salesperson", in.SalespersonID}, {"case_manager", in.CaseManagerID}} {
		if r.id == nil || *r.id == 0 {
			continue
		}
		_, err := tx.User(ctx, companyID, *r.id)
		if err := relationshipProblem(err, ps, r.field, "user"); err != nil {
			return err
		}
	}
	return nil
}

// setAddress writes addr into the client's primary location, creating one if
// the client has none.
func (s *Service) setAddress(ctx context.Context, tx Tx, c Client, addr *Address) error {
	p, err := tx.PrimaryLocation(ctx, c.CompanyID, c.ID)
	switch {
	case err == nil:
		p.Address = *addr
		p.UpdatedAt = after(c.UpdatedAt, p.UpdatedAt)
		return tx.UpdateLocation(ctx, p)
	case IsNotFound(err):
		p = Location{CompanyID: c.CompanyID, ClientID: c.ID, Name: DefaultLocationName, Address: *addr,
			IsPrimary: true, CreatedAt: c.UpdatedAt, UpdatedAt: c.UpdatedAt}
		return tx.CreateLocation(ctx, &p)
	default:
		return err
	}
}
