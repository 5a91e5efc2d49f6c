package clientele

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"strings"
	"time"
)

// tokenTouchInterval is how stale last_used_at may get before a request
// updates it, so that reads do not each cost a write.
const tokenTouchInterval = time.Minute

// Authenticate returns the Actor a token secret stands for. Unauthorized when
// the secret is unknown or revoked.
func (s *Service) Authenticate(ctx context.Context, secret string) (Actor, error) {
	unauthorized := Errorf(Unauthorized, "invalid_token", "", "the token is missing, invalid or revoked")
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 200 {
		return Actor{}, unauthorized
	}
	hash := sha256.Sum256([]byte(secret))
	var tok Token
	var user User
	err := s.store.Read(ctx, func(tx Tx) (err error) {
		if tok, err = tx.TokenByHash(ctx, hash[:]); err != nil {
			return err
		}
		user, err = tx.User(ctx, tok.CompanyID, tok.UserID)
		return err
	})
	if IsNotFound(err) || (err == nil && subtle.ConstantTimeCompare(tok.Hash, hash[:]) != 1) {
		return Actor{}, unauthorized
	}
	if err != nil {
		return Actor{}, err
	}
	if at := s.now(); at.Sub(tok.LastUsedAt) > tokenTouchInterval {
		err := s.store.Write(ctx, func(tx Tx) error { return tx.TouchToken(ctx, tok.CompanyID, tok.ID, at) })
		if IsNotFound(err) { // revoked between the two transactions
			return Actor{}, unauthorized
		}
		if err != nil {
			return Actor{}, err
		}
	}
	return Actor{CompanyID: tok.CompanyID, UserID: tok.UserID, TokenID: tok.ID, Role: user.Role}, nil
}

// newSecret returns a token secret with prefix and 130 random bits, and its hash.
func newSecret(prefix string) (string, []byte) {
	secret := prefix + rand.Text()
	hash := sha256.Sum256([]byte(secret))
	return secret, hash[:]
}

// Provisioned is what creating a company makes: the company, its first admin
// and an API token for that admin, whose secret is shown only here.
type Provisioned struct {
	Company Company
	Admin   User
	Token   Token
	Secret  string
}

// CreateCompany creates a company with its first admin and an API token: the
// operator's action. Invalid (slug, name, admin e-mail and name), Conflict
// (slug taken).
func (s *Service) CreateCompany(ctx context.Context, nc NewCompany) (Provisioned, error) {
	at := s.now()
	p := Provisioned{
		Company: Company{Name: strings.TrimSpace(nc.Name), Slug: strings.TrimSpace(nc.Slug), CreatedAt: at, UpdatedAt: at},
		Admin:   User{FullName: strings.TrimSpace(nc.AdminName), Email: strings.TrimSpace(nc.AdminEmail), Role: RoleAdmin, CreatedAt: at, UpdatedAt: at},
		Token:   Token{Name: DefaultTokenName, CreatedAt: at},
	}
	var ps Problems
	p.Company.check(&ps)
	p.Admin.check(&ps, "admin.")
	if err := ps.Err(); err != nil {
		return Provisioned{}, err
	}
	p.Secret, p.Token.Hash = newSecret(TokenPrefix)
	err := s.store.Write(ctx, func(tx Tx) error {
		if err := tx.CreateCompany(ctx, &p.Company); err != nil {
			return err
		}
		p.Admin.CompanyID, p.Token.CompanyID = p.Company.ID, p.Company.ID
		if err := tx.CreateUser(ctx, &p.Admin); err != nil {
			return err
		}
		p.Token.UserID = p.Admin.ID
		return tx.CreateToken(ctx, &p.Token)
	})
	if err != nil {
		return Provisioned{}, err
	}
	return p, nil
}

// Demo is the company that Bootstrap creates.
var Demo = NewCompany{Name: "Demo", Slug: "demo", AdminEmail: "admin@demo.example", AdminName: "Demo Admin"}

// Bootstrap creates the Demo company when no company exists yet, and reports
// whether it did.
func (s *Service) Bootstrap(ctx context.Context) (Provisioned, bool, error) {
	has, err := read(ctx, s, func(tx Tx) (bool, error) { return tx.HasCompanies(ctx) })
	if err != nil || has {
		return Provisioned{}, false, err
	}
	p, err := s.CreateCompany(ctx, Demo)
	if KindOf(err) == Conflict { // another process bootstrapped first
		return Provisioned{}, false, nil
	}
	return p, err == nil, err
}

// Company returns the actor's company.
func (s *Service) Company(ctx context.Context, a Actor) (Company, error) {
	return read(ctx, s, func(tx Tx) (Company, error) { return tx.Company(ctx, a.CompanyID) })
}

// UpdateCompany changes the actor's company's name. Forbidden for members;
// PreconditionFailed (opts' If); Invalid.
func (s *Service) UpdateCompany(ctx context.Context, a Actor, in CompanyInput, opts ...Options) (Company, error) {
	if err := requireAdmin(a); err != nil {
		return Company{}, err
	}
	return write(ctx, s, func(tx Tx) (Company, error) {
		c, err := tx.Company(ctx, a.CompanyID)
		if err == nil {
			err = optionsOf(opts).check(c.Version())
		}
		if err != nil {
			return c, err
		}
		setText(&c.Name, in.Name)
		ps := append(Problems(nil), in.Rejected...)
		if c.check(&ps); ps != nil {
			return c, ps.Err()
		}
		c.UpdatedAt = s.next(c.UpdatedAt)
		return c, tx.UpdateCompany(ctx, c)
	})
}
