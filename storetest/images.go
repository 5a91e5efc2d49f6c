package storetest

import (
	"slices"
	"testing"

	"github.com/clientele/clientele"
)

var imageTests = []test{
	{"SetClientLogoStoresAndRemoves", testSetClientLogo},
	{"SetContactImageStoresAndRemoves", testSetContactImage},
	{"SetImageOfMissingOrOtherCompanysRecordIsNotFound", testSetImageMissing},
	{"ListsAndUpdatesKeepTheImage", testImageSurvivesWrites},
	{"ClientImagesAreTheLogoAndContactsImages", testClientImages},
	{"ImagesInUseLooksAcrossCompanies", testImagesInUse},
}

func image(key string) *clientele.Image { return &clientele.Image{Key: key} }

func testSetClientLogo(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	if got := get(t, s, clientOf(tn.ID(), c.ID)); got.Logo != nil {
		t.Fatalf("new client has logo %v", got.Logo)
	}
	key := clientele.NewImageKey()
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.SetClientLogo(ctx, tn.ID(), c.ID, image(key), at(9)) })
	got := get(t, s, clientOf(tn.ID(), c.ID))
	if got.Logo == nil || got.Logo.Key != key || !got.UpdatedAt.Equal(at(9)) {
		t.Fatalf("after SetClientLogo: logo %v, updated_at %v", got.Logo, got.UpdatedAt)
	}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.SetClientLogo(ctx, tn.ID(), c.ID, nil, at(10)) })
	got = get(t, s, clientOf(tn.ID(), c.ID))
	if got.Logo != nil || !got.UpdatedAt.Equal(at(10)) {
		t.Fatalf("after removing: logo %v, updated_at %v", got.Logo, got.UpdatedAt)
	}
}

func testSetContactImage(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	p := newContact(t, s, clientele.Contact{CompanyID: tn.ID(), ClientID: c.ID})
	key := clientele.NewImageKey()
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.SetContactImage(ctx, tn.ID(), p.ID, image(key), at(9)) })
	got := get(t, s, contactOf(tn.ID(), p.ID))
	if got.Image == nil || got.Image.Key != key || !got.UpdatedAt.Equal(at(9)) {
		t.Fatalf("after SetContactImage: image %v, updated_at %v", got.Image, got.UpdatedAt)
	}
	list := get(t, s, contactsOf(tn.ID(), clientele.ContactQuery{ClientID: c.ID}))
	if len(list) != 1 || list[0].Image == nil || list[0].Image.Key != key {
		t.Errorf("list shows %+v", list)
	}
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.SetContactImage(ctx, tn.ID(), p.ID, nil, at(10)) })
	if got := get(t, s, contactOf(tn.ID(), p.ID)); got.Image != nil {
		t.Fatalf("after removing: image %v", got.Image)
	}
}

func testSetImageMissing(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	other := newTenant(t, s, "other")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	p := newContact(t, s, clientele.Contact{CompanyID: tn.ID(), ClientID: c.ID})
	img := image(clientele.NewImageKey())
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error {
		return tx.SetClientLogo(ctx, other.ID(), c.ID, img, at(9))
	}), "SetClientLogo of another company's client")
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error {
		return tx.SetClientLogo(ctx, tn.ID(), c.ID+1000, img, at(9))
	}), "SetClientLogo of a missing client")
	wantNotFound(t, s.Write(ctx, func(tx clientele.Tx) error {
		return tx.SetContactImage(ctx, other.ID(), p.ID, img, at(9))
	}), "SetContactImage of another company's contact")
	wantNotFound(t, getErr(s, func(tx clientele.Tx) ([]clientele.Image, error) {
		return tx.ClientImages(ctx, other.ID(), c.ID)
	}), "ClientImages of another company's client")
	if got := get(t, s, clientOf(tn.ID(), c.ID)); got.Logo != nil {
		t.Errorf("logo %v set through another company", got.Logo)
	}
}

func testImageSurvivesWrites(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID(), Name: "Acme"})
	key := clientele.NewImageKey()
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.SetClientLogo(ctx, tn.ID(), c.ID, image(key), at(9)) })
	got := get(t, s, clientOf(tn.ID(), c.ID))
	got.Name, got.Logo = "Renamed", nil // UpdateClient ignores Logo
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.UpdateClient(ctx, got) })
	list := get(t, s, clientsOf(tn.ID(), clientele.ClientQuery{}))
	if len(list) != 1 || list[0].Logo == nil || list[0].Logo.Key != key || list[0].Name != "Renamed" {
		t.Fatalf("after UpdateClient the list shows %+v", list)
	}
}

func testClientImages(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	c := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	d := newClient(t, s, clientele.Client{CompanyID: tn.ID()})
	if imgs := get(t, s, clientImages(tn.ID(), c.ID)); len(imgs) != 0 {
		t.Fatalf("client without images: %v", imgs)
	}
	logo, img1, img2, elsewhere := clientele.NewImageKey(), clientele.NewImageKey(), clientele.NewImageKey(), clientele.NewImageKey()
	p1 := newContact(t, s, clientele.Contact{CompanyID: tn.ID(), ClientID: c.ID})
	p2 := newContact(t, s, clientele.Contact{CompanyID: tn.ID(), ClientID: c.ID})
	newContact(t, s, clientele.Contact{CompanyID: tn.ID(), ClientID: c.ID}) // without an image
	p4 := newContact(t, s, clientele.Contact{CompanyID: tn.ID(), ClientID: d.ID})
	mustWrite(t, s, func(tx clientele.Tx) error {
		for _, err := range []error{
			tx.SetClientLogo(ctx, tn.ID(), c.ID, image(logo), at(9)),
			tx.SetContactImage(ctx, tn.ID(), p1.ID, image(img1), at(9)),
			tx.SetContactImage(ctx, tn.ID(), p2.ID, image(img2), at(9)),
			tx.SetContactImage(ctx, tn.ID(), p4.ID, image(elsewhere), at(9)),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	var keys []string
	for _, img := range get(t, s, clientImages(tn.ID(), c.ID)) {
		keys = append(keys, img.Key)
	}
	slices.Sort(keys)
	want := []string{logo, img1, img2}
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		t.Errorf("ClientImages = %v, want %v", keys, want)
	}
}

func clientImages(companyID, id int64) func(clientele.Tx) ([]clientele.Image, error) {
	return func(tx clientele.Tx) ([]clientele.Image, error) { return tx.ClientImages(ctx, companyID, id) }
}

func testImagesInUse(t *testing.T, s clientele.Store) {
	a := newTenant(t, s, "acme")
	b := newTenant(t, s, "other")
	ca := newClient(t, s, clientele.Client{CompanyID: a.ID()})
	cb := newClient(t, s, clientele.Client{CompanyID: b.ID()})
	pb := newContact(t, s, clientele.Contact{CompanyID: b.ID(), ClientID: cb.ID})
	logo, img, gone, never := clientele.NewImageKey(), clientele.NewImageKey(), clientele.NewImageKey(), clientele.NewImageKey()
	mustWrite(t, s, func(tx clientele.Tx) error {
		if err := tx.SetClientLogo(ctx, a.ID(), ca.ID, image(gone), at(8)); err != nil {
			return err
		}
		if err := tx.SetClientLogo(ctx, a.ID(), ca.ID, image(logo), at(9)); err != nil {
			return err
		}
		return tx.SetContactImage(ctx, b.ID(), pb.ID, image(img), at(9))
	})
	got := get(t, s, func(tx clientele.Tx) ([]string, error) {
		return tx.ImagesInUse(ctx, []string{logo, img, gone, never})
	})
	slices.Sort(got)
	want := []string{logo, img}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("ImagesInUse = %v, want %v", got, want)
	}
	if got := get(t, s, func(tx clientele.Tx) ([]string, error) { return tx.ImagesInUse(ctx, nil) }); len(got) != 0 {
		t.Errorf("ImagesInUse(nil) = %v", got)
	}
	// Deleting the client (and with it its contacts) frees their keys.
	mustWrite(t, s, func(tx clientele.Tx) error { return tx.DeleteClient(ctx, b.ID(), cb.ID) })
	if got := get(t, s, func(tx clientele.Tx) ([]string, error) { return tx.ImagesInUse(ctx, []string{img}) }); len(got) != 0 {
		t.Errorf("after deleting the client, ImagesInUse = %v", got)
	}
}
