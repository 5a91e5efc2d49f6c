package api_test

import (
	"context"
	"time"

	"github.com/clientele/clientele"
)

// The file methods of incTx (include_test.go), kept here with the files feature.

func (x incTx) SetClientLogo(ctx context.Context, companyID, id int64, logo *clientele.Image, at time.Time) error {
	x.count("SetClientLogo")
	return x.tx.SetClientLogo(ctx, companyID, id, logo, at)
}

func (x incTx) SetContactImage(ctx context.Context, companyID, id int64, image *clientele.Image, at time.Time) error {
	x.count("SetContactImage")
	return x.tx.SetContactImage(ctx, companyID, id, image, at)
}

func (x incTx) ClientImages(ctx context.Context, companyID, id int64) ([]clientele.Image, error) {
	x.count("ClientImages")
	return x.tx.ClientImages(ctx, companyID, id)
}

func (x incTx) ImagesInUse(ctx context.Context, keys []string) ([]string, error) {
	x.count("ImagesInUse")
	return x.tx.ImagesInUse(ctx, keys)
}
