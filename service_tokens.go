package clientele

import (
	"context"
	"strings"
)

// Tokens returns a page of tokens (all of the company's for admins, their
// own for members) and the records that include names. Malformed (include).
func (s *Service) Tokens(ctx context.Context, a Actor, q TokenQuery, include Include) (List[Token], Related, error) {
	plan, err := planInclude(includeOfTokens, include)
	if err != nil {
		return List[Token]{}, Related{}, err
	}
	if a.Role != RoleAdmin {
		q.UserID = a.UserID
	}
	return fetch(ctx, s, a, &q.Page, plan, func(tx Tx) ([]Token, error) { return tx.Tokens(ctx, a.CompanyID, q) }, nil)
}

// Token returns a token of the actor's company and the records that include
// names. Malformed (include); NotFound; Forbidden when a member names another
// user's token.
func (s *Service) Token(ctx context.Context, a Actor, id int64, include Include) (Token, Related, error) {
	plan, err := planInclude(includeOfTokens, include)
	if err != nil {
		return Token{}, Related{}, err
	}
	return readWith(ctx, s, a, plan, func(tx Tx) (Token, error) { return ownToken(ctx, tx, a, id) })
}

// ownToken returns a token the actor may manage: any of the company's for
// admins, their own for members.
func ownToken(ctx context.Context, tx Tx, a Actor, id int64) (Token, error) {
	t, err := tx.Token(ctx, a.CompanyID, id)
	if err == nil && a.Role != RoleAdmin && t.UserID != a.UserID {
		return Token{}, Errorf(Forbidden, "admin_only", "", "members may only manage their own tokens")
	}
	return t, err
}

// CreateToken creates a token for in.UserID (the actor when 0) and returns it
// with its secret, which is never shown again. Forbidden when a member asks
// for another user's token; Invalid (name, or a user not in the company).
func (s *Service) CreateToken(ctx context.Context, a Actor, in TokenInput, opts ...Options) (Token, string, error) {
	userID := in.UserID
	if userID == 0 {
		userID = a.UserID
	}
	if a.Role != RoleAdmin && userID != a.UserID {
		return Token{}, "", Errorf(Forbidden, "admin_only", "user", "members may only create tokens for themselves")
	}
	t := Token{CompanyID: a.CompanyID, UserID: userID, Name: strings.TrimSpace(in.Name), CreatedAt: s.now()}
	if t.Name == "" {
		t.Name = DefaultTokenName
	}
	return s.createToken(ctx, t, in.Rejected, optionsOf(opts))
}

// CreateTokenFor creates a token for the user with email in the company with
// slug: the operator's action. NotFound (company or user); Invalid.
func (s *Service) CreateTokenFor(ctx context.Context, slug, email, name string) (Token, string, error) {
	t := Token{Name: strings.TrimSpace(name), CreatedAt: s.now()}
	if t.Name == "" {
		t.Name = DefaultTokenName
	}
	err := s.store.Read(ctx, func(tx Tx) error {
		c, err := tx.CompanyBySlug(ctx, slug)
		if err != nil {
			return err
		}
		u, err := tx.UserByEmail(ctx, c.ID, email)
		t.CompanyID, t.UserID = c.ID, u.ID
		return err
	})
	if err != nil {
		return Token{}, "", err
	}
	return s.createToken(ctx, t, nil, Options{})
}

// createToken stores t with a new secret; rejected are problems found before.
func (s *Service) createToken(ctx context.Context, t Token, rejected Problems, o Options) (Token, string, error) {
	ps := append(Problems(nil), rejected...)
	t.check(&ps)
	secret, hash := newSecret(TokenPrefix)
	t.Hash = hash
	err := s.store.Write(ctx, func(tx Tx) error {
		_, err := tx.User(ctx, t.CompanyID, t.UserID)
		if err := relationshipProblem(err, &ps, "user", "user"); err != nil {
			return err
		}
		if ps != nil {
			return ps.Err()
		}
		err = tx.CreateToken(ctx, &t)
		_, err = created(ctx, s, tx, t.CompanyID, o, IssuedToken{Token: t, Secret: secret}, err)
		return err
	})
	if err != nil {
		return Token{}, "", err
	}
	return t, secret, nil
}

// DeleteToken revokes a token at once. NotFound; Forbidden when a member
// names another user's token; PreconditionFailed (opts' If).
func (s *Service) DeleteToken(ctx context.Context, a Actor, id int64, opts ...Options) error {
	return s.store.Write(ctx, func(tx Tx) error {
		t, err := ownToken(ctx, tx, a, id)
		if err == nil {
			err = optionsOf(opts).check(t.Version())
		}
		if err != nil {
			return err
		}
		return tx.DeleteToken(ctx, a.CompanyID, id)
	})
}
