package clientele

import "context"

// Locations returns a page of locations and the records that include names.
// With q.ClientID set the client must exist in the actor's company (NotFound
// otherwise). Malformed (include, sort).
func (s *Service) Locations(ctx context.Context, a Actor, q LocationQuery, include Include) (List[Location], Related, error) {
	plan, err := planInclude(includeOfLocations, include)
	if err == nil {
		err = checkSort(q.Sort, LocationSortFields)
	}
	if err != nil {
		return List[Location]{}, Related{}, err
	}
	return fetch(ctx, s, a, &q.Page, plan, func(tx Tx) ([]Location, error) {
		if q.ClientID != 0 {
			if _, err := tx.Client(ctx, a.CompanyID, q.ClientID); err != nil {
				return nil, err
			}
		}
		return tx.Locations(ctx, a.CompanyID, q)
	}, func(tx Tx) (int, error) { return tx.CountLocations(ctx, a.CompanyID, q) })
}

// Location returns a location and the records that include names. Malformed
// (include); NotFound.
func (s *Service) Location(ctx context.Context, a Actor, id int64, include Include) (Location, Related, error) {
	plan, err := planInclude(includeOfLocations, include)
	if err != nil {
		return Location{}, Related{}, err
	}
	return readWith(ctx, s, a, plan, func(tx Tx) (Location, error) { return tx.Location(ctx, a.CompanyID, id) })
}

// CreateLocation adds a location to a client. It becomes primary when asked
// to, or, when is_primary is not named, when the client has no primary
// location; a new primary location makes the others non-primary. Invalid
// (attributes, a missing client or one of another company).
func (s *Service) CreateLocation(ctx context.Context, a Actor, in LocationInput, opts ...Options) (Location, error) {
	at := s.now()
	l := Location{CompanyID: a.CompanyID, Name: DefaultLocationName, CreatedAt: at, UpdatedAt: at}
	l.apply(in)
	ps := append(Problems(nil), in.Rejected...)
	l.check(&ps)
	if in.ClientID == nil || *in.ClientID == 0 {
		ps.Add("client", "required", "client is required")
	} else {
		l.ClientID = *in.ClientID
	}
	return write(ctx, s, func(tx Tx) (Location, error) {
		client, err := s.lockClient(ctx, tx, a.CompanyID, l.ClientID, &ps)
		if err != nil || ps != nil {
			return l, firstErr(err, ps.Err())
		}
		if in.IsPrimary == nil {
			l.IsPrimary = client.Address == nil
		}
		if l.IsPrimary {
			if err := s.takePrimary(ctx, tx, l); err != nil {
				return l, err
			}
		}
		err = tx.CreateLocation(ctx, &l)
		return created(ctx, s, tx, a.CompanyID, optionsOf(opts), l, err)
	})
}

// UpdateLocation changes a location. Its client cannot change. Making it
// primary makes the client's other locations non-primary. NotFound;
// PreconditionFailed (opts' If); Invalid.
func (s *Service) UpdateLocation(ctx context.Context, a Actor, id int64, in LocationInput, opts ...Options) (Location, error) {
	return write(ctx, s, func(tx Tx) (Location, error) {
		l, err := tx.Location(ctx, a.CompanyID, id)
		if err == nil {
			err = optionsOf(opts).check(l.Version())
		}
		if err != nil {
			return l, err
		}
		if err := tx.LockClient(ctx, a.CompanyID, l.ClientID); err != nil {
			return l, err
		}
		wasPrimary := l.IsPrimary
		l.apply(in)
		ps := append(Problems(nil), in.Rejected...)
		l.check(&ps)
		if in.ClientID != nil && *in.ClientID != l.ClientID {
			ps.Add("client", "read_only", "a location cannot move to another client")
		}
		if ps != nil {
			return l, ps.Err()
		}
		l.UpdatedAt = s.next(l.UpdatedAt)
		if l.IsPrimary && !wasPrimary {
			if err := s.takePrimary(ctx, tx, l); err != nil {
				return l, err
			}
		} else if wasPrimary {
			if err := tx.TouchClient(ctx, a.CompanyID, l.ClientID, l.UpdatedAt); err != nil {
				return l, err
			}
		}
		return l, tx.UpdateLocation(ctx, l)
	})
}

// DeleteLocation deletes a location; deleting the primary one leaves the
// client without an address. NotFound; PreconditionFailed (opts' If).
func (s *Service) DeleteLocation(ctx context.Context, a Actor, id int64, opts ...Options) error {
	return s.store.Write(ctx, func(tx Tx) error {
		l, err := tx.Location(ctx, a.CompanyID, id)
		if err == nil {
			err = optionsOf(opts).check(l.Version())
		}
		if err != nil {
			return err
		}
		if err := tx.LockClient(ctx, a.CompanyID, l.ClientID); err != nil {
			return err
		}
		if l.IsPrimary {
			if err := tx.TouchClient(ctx, a.CompanyID, l.ClientID, s.now()); err != nil {
				return err
			}
		}
		return tx.DeleteLocation(ctx, a.CompanyID, id)
	})
}

// takePrimary makes every other location of l's client non-primary and marks
// the client changed, since its address is now l's.
func (s *Service) takePrimary(ctx context.Context, tx Tx, l Location) error {
	if err := tx.ClearPrimaryLocation(ctx, l.CompanyID, l.ClientID, l.UpdatedAt); err != nil {
		return err
	}
	return tx.TouchClient(ctx, l.CompanyID, l.ClientID, l.UpdatedAt)
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
