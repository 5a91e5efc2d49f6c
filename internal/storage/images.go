package storage

import "github.com/clientele/clientele"

// ImageOf maps a stored image key to the domain's Image; "" (NULL) is none.
func ImageOf(key string) *clientele.Image {
	if key == "" {
		return nil
	}
	return &clientele.Image{Key: key}
}

// ImageKey maps an Image to its stored key; nil is NULL.
func ImageKey(img *clientele.Image) any {
	if img == nil {
		return nil
	}
	return img.Key
}
