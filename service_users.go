package clientele

import "context"

// Users returns a page of the actor's company's users. Members may read users
// too. Users have no relationships to include: any include path is Malformed.
func (s *Service) Users(ctx context.Context, a Actor, q UserQuery, include Include) (List[User], Related, error) {
	plan, err := planInclude(includeOfUsers, include)
	if err != nil {
		return List[User]{}, Related{}, err
	}
	return fetch(ctx, s, a, &q.Page, plan, func(tx Tx) ([]User, error) { return tx.Users(ctx, a.CompanyID, q) }, nil)
}

// User returns a user of the actor's company. Malformed (any include path); NotFound.
func (s *Service) User(ctx context.Context, a Actor, id int64, include Include) (User, Related, error) {
	plan, err := planInclude(includeOfUsers, include)
	if err != nil {
		return User{}, Related{}, err
	}
	return readWith(ctx, s, a, plan, func(tx Tx) (User, error) { return tx.User(ctx, a.CompanyID, id) })
}

// CreateUser adds a user; role defaults to member. Forbidden for members;
// Invalid; Conflict (email taken in the company).
func (s *Service) CreateUser(ctx context.Context, a Actor, in UserInput, opts ...Options) (User, error) {
	if err := requireAdmin(a); err != nil {
		return User{}, err
	}
	at := s.now()
	u := User{CompanyID: a.CompanyID, Role: RoleMember, CreatedAt: at, UpdatedAt: at}
	u.apply(in)
	ps := append(Problems(nil), in.Rejected...)
	if u.check(&ps, ""); ps != nil {
		return User{}, ps.Err()
	}
	return write(ctx, s, func(tx Tx) (User, error) {
		return created(ctx, s, tx, a.CompanyID, optionsOf(opts), u, tx.CreateUser(ctx, &u))
	})
}

// UpdateUser changes a user. Forbidden for members; NotFound; Invalid;
// Conflict (email taken, or demoting the last admin); PreconditionFailed (opts' If).
func (s *Service) UpdateUser(ctx context.Context, a Actor, id int64, in UserInput, opts ...Options) (User, error) {
	if err := requireAdmin(a); err != nil {
		return User{}, err
	}
	return write(ctx, s, func(tx Tx) (User, error) {
		u, err := tx.User(ctx, a.CompanyID, id)
		if err == nil {
			err = optionsOf(opts).check(u.Version())
		}
		if err != nil {
			return u, err
		}
		wasAdmin := u.Role == RoleAdmin
		u.apply(in)
		ps := append(Problems(nil), in.Rejected...)
		if u.check(&ps, ""); ps != nil {
			return u, ps.Err()
		}
		if wasAdmin && u.Role != RoleAdmin {
			if err := s.keepAnAdmin(ctx, tx, a.CompanyID); err != nil {
				return u, err
			}
		}
		u.UpdatedAt = s.next(u.UpdatedAt)
		return u, tx.UpdateUser(ctx, u)
	})
}

// DeleteUser removes a user with its tokens; the clients it owned, sold or
// managed keep null there. Forbidden for members; NotFound; PreconditionFailed
// (opts' If); Conflict (the last admin).
func (s *Service) DeleteUser(ctx context.Context, a Actor, id int64, opts ...Options) error {
	if err := requireAdmin(a); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx Tx) error {
		u, err := tx.User(ctx, a.CompanyID, id)
		if err == nil {
			err = optionsOf(opts).check(u.Version())
		}
		if err != nil {
			return err
		}
		if u.Role == RoleAdmin {
			if err := s.keepAnAdmin(ctx, tx, a.CompanyID); err != nil {
				return err
			}
		}
		return tx.DeleteUser(ctx, a.CompanyID, id, s.now())
	})
}

// keepAnAdmin fails with Conflict when the company has only one admin left.
func (s *Service) keepAnAdmin(ctx context.Context, tx Tx, companyID int64) error {
	n, err := tx.CountAdmins(ctx, companyID)
	if err != nil {
		return err
	}
	if n <= 1 {
		return Errorf(Conflict, "last_admin", "role", "the last admin of a company cannot be removed or demoted")
	}
	return nil
}
