package clientele

import "context"

// Contacts returns a page of contacts and the records that include names.
// With q.ClientID set the client must exist in the actor's company (NotFound
// otherwise). Malformed (include, sort, search).
func (s *Service) Contacts(ctx context.Context, a Actor, q ContactQuery, include Include) (List[Contact], Related, error) {
	plan, err := planInclude(includeOfContacts, include)
	if err == nil {
		err = checkList(q.Search, q.Sort, ContactSortFields)
	}
	if err != nil {
		return List[Contact]{}, Related{}, err
	}
	return fetch(ctx, s, a, &q.Page, plan, func(tx Tx) ([]Contact, error) {
		if q.ClientID != 0 {
			if _, err := tx.Client(ctx, a.CompanyID, q.ClientID); err != nil {
				return nil, err
			}
		}
		return tx.Contacts(ctx, a.CompanyID, q)
	}, func(tx Tx) (int, error) { return tx.CountContacts(ctx, a.CompanyID, q) })
}

// Contact returns a contact and the records that include names. Malformed
// (include); NotFound.
func (s *Service) Contact(ctx context.Context, a Actor, id int64, include Include) (Contact, Related, error) {
	plan, err := planInclude(includeOfContacts, include)
	if err != nil {
		return Contact{}, Related{}, err
	}
	return readWith(ctx, s, a, plan, func(tx Tx) (Contact, error) { return tx.Contact(ctx, a.CompanyID, id) })
}

// CreateContact adds a contact to a client. It becomes main when asked to, or,
// when is_main is not named, when the client has no main contact; a new main
// contact makes the others not main. Invalid (attributes, a missing client or
// one of another company, portal access without e-mail or password);
// Conflict (another contact with portal access has the e-mail).
func (s *Service) CreateContact(ctx context.Context, a Actor, in ContactInput, opts ...Options) (Contact, error) {
	at := s.now()
	c := Contact{CompanyID: a.CompanyID, CreatedAt: at, UpdatedAt: at}
	c.apply(in)
	ps, hash, err := s.checkPassword(ctx, in)
	if err != nil {
		return c, err
	}
	c.check(&ps, in.Password != nil)
	if in.ClientID == nil || *in.ClientID == 0 {
		ps.Add("client", "required", "client is required")
	} else {
		c.ClientID = *in.ClientID
	}
	c.PasswordHash = hash
	return write(ctx, s, func(tx Tx) (Contact, error) {
		client, err := s.lockClient(ctx, tx, a.CompanyID, c.ClientID, &ps)
		if err != nil || ps != nil {
			return c, firstErr(err, ps.Err())
		}
		if in.IsMain == nil {
			c.IsMain = client.MainContactID == 0
		}
		if err := s.takeMain(ctx, tx, c); err != nil {
			return c, err
		}
		err = tx.CreateContact(ctx, &c)
		return created(ctx, s, tx, a.CompanyID, optionsOf(opts), c, err)
	})
}

// UpdateContact changes a contact, which may move to another client of the
// company. A moved contact stays main only if asked to or if its new client
// has no main contact. Turning portal_access off, setting a password or
// changing the e-mail ends the contact's portal sessions. NotFound;
// PreconditionFailed (opts' If); Invalid; Conflict.
func (s *Service) UpdateContact(ctx context.Context, a Actor, id int64, in ContactInput, opts ...Options) (Contact, error) {
	ps, hash, err := s.checkPassword(ctx, in)
	if err != nil {
		return Contact{}, err
	}
	return write(ctx, s, func(tx Tx) (Contact, error) {
		c, err := tx.Contact(ctx, a.CompanyID, id)
		if err == nil {
			err = optionsOf(opts).check(c.Version())
		}
		if err != nil {
			return c, err
		}
		old := c
		c.apply(in)
		c.check(&ps, in.Password != nil)
		if in.ClientID != nil && *in.ClientID == 0 {
			ps.Add("client", "required", "a contact must belong to a client")
		} else if in.ClientID != nil && *in.ClientID != c.ClientID {
			client, err := s.lockClient(ctx, tx, a.CompanyID, *in.ClientID, &ps)
			if err != nil {
				return c, err
			}
			c.ClientID = *in.ClientID
			if in.IsMain == nil {
				c.IsMain = client.MainContactID == 0
			}
		} else if err := tx.LockClient(ctx, a.CompanyID, c.ClientID); err != nil {
			return c, err
		}
		if ps != nil {
			return c, ps.Err()
		}
		if hash != "" {
			c.PasswordHash = hash
		}
		// Losing access, a new password or a new e-mail ends the contact's
		// portal sessions at once, in this transaction.
		if (old.PortalAccess && !c.PortalAccess) || hash != "" || EmailKey(c.Email) != EmailKey(old.Email) {
			if err := tx.DeletePortalSessions(ctx, a.CompanyID, c.ID, 0); err != nil {
				return c, err
			}
		}
		c.UpdatedAt = s.next(c.UpdatedAt)
		moved := c.ClientID != old.ClientID
		if old.IsMain && (moved || !c.IsMain) {
			if err := tx.TouchClient(ctx, a.CompanyID, old.ClientID, c.UpdatedAt); err != nil {
				return c, err
			}
		}
		if !old.IsMain || moved {
			if err := s.takeMain(ctx, tx, c); err != nil {
				return c, err
			}
		}
		return c, tx.UpdateContact(ctx, c)
	})
}

// DeleteContact deletes a contact, and with it its portal sessions, then its
// image's files; deleting the main one leaves the client without a main
// contact. NotFound; PreconditionFailed (opts' If).
func (s *Service) DeleteContact(ctx context.Context, a Actor, id int64, opts ...Options) error {
	var image *Image
	err := s.store.Write(ctx, func(tx Tx) error {
		c, err := tx.Contact(ctx, a.CompanyID, id)
		if err == nil {
			err = optionsOf(opts).check(c.Version())
		}
		if err != nil {
			return err
		}
		image = c.Image
		if err := tx.LockClient(ctx, a.CompanyID, c.ClientID); err != nil {
			return err
		}
		if c.IsMain {
			if err := tx.TouchClient(ctx, a.CompanyID, c.ClientID, s.now()); err != nil {
				return err
			}
		}
		return tx.DeleteContact(ctx, a.CompanyID, id)
	})
	if err == nil {
		s.dropImages(ctx, image)
	}
	return err
}

// checkPassword checks and hashes a password the input names, before any
// transaction starts, so that the slow hash never holds the write lock.
// The problems it returns start with the input's Rejected ones.
func (s *Service) checkPassword(ctx context.Context, in ContactInput) (Problems, string, error) {
	ps := append(Problems(nil), in.Rejected...)
	if in.Password == nil {
		return ps, "", nil
	}
	n := len(ps)
	if checkPassword(&ps, "password", *in.Password); len(ps) > n {
		return ps, "", nil
	}
	hash, err := s.hasher.Hash(ctx, *in.Password)
	return ps, hash, err
}

// lockClient locks and returns the client a location or contact names; a
// missing one (or one of another company) becomes a problem of the "client"
// relationship in ps.
// An id of 0 (a client not named) is left to the caller to report.
func (s *Service) lockClient(ctx context.Context, tx Tx, companyID, id int64, ps *Problems) (Client, error) {
	if id == 0 {
		return Client{}, nil
	}
	err := tx.LockClient(ctx, companyID, id)
	if err == nil {
		return tx.Client(ctx, companyID, id)
	}
	return Client{}, relationshipProblem(err, ps, "client", "client")
}

// takeMain makes every other contact of c's client not main when c is main.
func (s *Service) takeMain(ctx context.Context, tx Tx, c Contact) error {
	if !c.IsMain {
		return nil
	}
	if err := tx.ClearMainContact(ctx, c.CompanyID, c.ClientID, c.UpdatedAt); err != nil {
		return err
	}
	return tx.TouchClient(ctx, c.CompanyID, c.ClientID, c.UpdatedAt)
}
