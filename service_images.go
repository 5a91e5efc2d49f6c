package clientele

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
)

// UseFiles makes the Service keep image bytes in files. Call it once, before
// the Service serves requests; without it uploads fail and deletions leave
// no bytes behind to delete.
func (s *Service) UseFiles(files Files) { s.files = files }

// The order of writes keeps every row's image readable: the bytes of a new
// image are stored (durably) before the transaction that points a row at
// them, and the bytes of an image no row points at any more are deleted
// only after the transaction that let go of them has committed. A crash in
// between leaves bytes that nothing references, which SweepFiles removes;
// it never leaves a row that references missing bytes.

// SetClientLogo stores up as a client's new logo, replacing (and then
// deleting) any old one. NotFound; PreconditionFailed (opts' If).
func (s *Service) SetClientLogo(ctx context.Context, a Actor, id int64, up ImageUpload, opts ...Options) (Client, error) {
	var old *Image
	get := func(tx Tx) (Client, error) {
		c, err := tx.Client(ctx, a.CompanyID, id)
		return c, firstErr(err, optionsOf(opts).check(c.Version()))
	}
	return setImage(ctx, s, up, get, func(tx Tx, img *Image) (Client, error) {
		c, err := get(tx)
		if err != nil {
			return c, err
		}
		old, c.Logo, c.UpdatedAt = c.Logo, img, s.next(c.UpdatedAt)
		return c, tx.SetClientLogo(ctx, a.CompanyID, id, img, c.UpdatedAt)
	}, &old)
}

// DeleteClientLogo removes a client's logo; a client without one is left as
// it is. NotFound; PreconditionFailed (opts' If).
func (s *Service) DeleteClientLogo(ctx context.Context, a Actor, id int64, opts ...Options) error {
	return clearImage(ctx, s, func(tx Tx) (*Image, time.Time, error) {
		c, err := tx.Client(ctx, a.CompanyID, id)
		return c.Logo, c.UpdatedAt, firstErr(err, optionsOf(opts).check(c.Version()))
	}, func(tx Tx, at time.Time) error { return tx.SetClientLogo(ctx, a.CompanyID, id, nil, at) })
}

// SetContactImage stores up as a contact's new image, replacing (and then
// deleting) any old one. NotFound; PreconditionFailed (opts' If).
func (s *Service) SetContactImage(ctx context.Context, a Actor, id int64, up ImageUpload, opts ...Options) (Contact, error) {
	var old *Image
	get := func(tx Tx) (Contact, error) {
		c, err := tx.Contact(ctx, a.CompanyID, id)
		return c, firstErr(err, optionsOf(opts).check(c.Version()))
	}
	return setImage(ctx, s, up, get, func(tx Tx, img *Image) (Contact, error) {
		c, err := get(tx)
		if err != nil {
			return c, err
		}
		old, c.Image, c.UpdatedAt = c.Image, img, s.next(c.UpdatedAt)
		return c, tx.SetContactImage(ctx, a.CompanyID, id, img, c.UpdatedAt)
	}, &old)
}

// DeleteContactImage removes a contact's image; a contact without one is
// left as it is. NotFound; PreconditionFailed (opts' If).
func (s *Service) DeleteContactImage(ctx context.Context, a Actor, id int64, opts ...Options) error {
	return clearImage(ctx, s, func(tx Tx) (*Image, time.Time, error) {
		c, err := tx.Contact(ctx, a.CompanyID, id)
		return c.Image, c.UpdatedAt, firstErr(err, optionsOf(opts).check(c.Version()))
	}, func(tx Tx, at time.Time) error { return tx.SetContactImage(ctx, a.CompanyID, id, nil, at) })
}

// clearImage runs clear in a write transaction when get finds an image,
// with the record's next updated_at, and deletes the image's files after
// the commit.
func clearImage(ctx context.Context, s *Service, get func(Tx) (*Image, time.Time, error),
	clear func(Tx, time.Time) error) error {
	img, err := write(ctx, s, func(tx Tx) (*Image, error) {
		img, updated, err := get(tx)
		if err != nil || img == nil {
			return nil, err
		}
		return img, clear(tx, s.next(updated))
	})
	if err == nil {
		s.dropImages(ctx, img)
	}
	return err
}

// setImage stores up under a new key and then runs set in a write
// transaction to point a record at it; *old is the image set replaced,
// deleted once the transaction has committed. check runs first, in a read
// transaction, so that a missing record costs no stored bytes.
func setImage[T any](ctx context.Context, s *Service, up ImageUpload, check func(Tx) (T, error),
	set func(Tx, *Image) (T, error), old **Image) (T, error) {
	var zero T
	if s.files == nil {
		return zero, errors.New("clientele: no file store (Service.UseFiles)")
	}
	for _, v := range ImageVariants {
		if len(up[v]) == 0 {
			return zero, errors.New("clientele: image upload without its " + v + " variant")
		}
	}
	if _, err := read(ctx, s, check); err != nil {
		return zero, err
	}
	img := &Image{Key: NewImageKey()}
	for _, v := range ImageVariants {
		if err := s.files.Put(ctx, FileName(img.Key, v), up[v]); err != nil {
			s.dropImages(ctx, img)
			return zero, err
		}
	}
	rec, err := write(ctx, s, func(tx Tx) (T, error) { return set(tx, img) })
	if err != nil {
		// A domain error comes from set: nothing was committed. Any other
		// error may have come from a commit whose outcome is unknown (a
		// lost connection), so the bytes stay for SweepFiles to judge by
		// what the database holds.
		if KindOf(err) != Internal {
			s.dropImages(ctx, img)
		}
		return zero, err
	}
	s.dropImages(ctx, *old)
	return rec, nil
}

// dropImages deletes the bytes of images no row references any more. A
// failure is only logged: SweepFiles deletes what is left.
func (s *Service) dropImages(ctx context.Context, imgs ...*Image) {
	if s.files == nil {
		return
	}
	ctx = context.WithoutCancel(ctx) // the record is gone; finish even if the client went away
	for _, img := range imgs {
		if img == nil {
			continue
		}
		for _, v := range ImageVariants {
			if err := s.files.Delete(ctx, FileName(img.Key, v)); err != nil {
				// Only a prefix of the key: the whole key is the file's URL.
				s.log.WarnContext(ctx, "files: delete failed; the sweep will retry", "key_prefix", img.Key[:8], "err", err)
			}
		}
	}
}

// SweepFiles deletes the stored files of every key that no client or
// contact references and whose newest file is older than grace, and returns
// how many keys it deleted. The grace period protects uploads in progress,
// whose bytes are stored before their row commits: it must be longer than
// any upload's transaction. Files whose names are not FileName's are left alone.
func (s *Service) SweepFiles(ctx context.Context, grace time.Duration) (int, error) {
	if s.files == nil {
		return 0, nil
	}
	cutoff := s.now().Add(-grace)
	names := map[string][]string{}
	young := map[string]bool{}
	err := s.files.List(ctx, func(name string, modified time.Time) error {
		key, _, ok := strings.Cut(name, "/")
		if !ok || !ValidImageKey(key) {
			return nil
		}
		names[key] = append(names[key], name)
		if !modified.Before(cutoff) {
			young[key] = true
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	var old []string
	for key := range names {
		if !young[key] {
			old = append(old, key)
		}
	}
	deleted := 0
	const batch = 1000
	for len(old) > 0 {
		keys := old[:min(batch, len(old))]
		old = old[len(keys):]
		inUse, err := read(ctx, s, func(tx Tx) ([]string, error) { return tx.ImagesInUse(ctx, keys) })
		if err != nil {
			return deleted, err
		}
		used := map[string]bool{}
		for _, k := range inUse {
			used[k] = true
		}
		for _, key := range keys {
			if used[key] {
				continue
			}
			for _, name := range names[key] {
				if err := s.files.Delete(ctx, name); err != nil {
					return deleted, err
				}
			}
			deleted++
		}
	}
	return deleted, nil
}

// OpenImage returns the stored file of an image variant, for anyone who
// knows the key: keys are unguessable. NotFound for a malformed key, an
// unknown variant, and a key whose files are gone.
func (s *Service) OpenImage(ctx context.Context, key, variant string) (File, error) {
	if s.files == nil || !ValidImageKey(key) || !slices.Contains(ImageVariants, variant) {
		return nil, ErrNotFound("file")
	}
	return s.files.Open(ctx, FileName(key, variant))
}
