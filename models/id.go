package models

import (
	"crypto/rand"
	"encoding/binary"
	"strings"
	"sync"
	"time"
)

const crockford = "0123456789abcdefghjkmnpqrstvwxyz"

var idState struct {
	sync.Mutex
	ms   uint64
	rand [10]byte
}

// NewID returns a 26-character, time-ordered, random identifier (the ULID layout in
// lowercase Crockford base32). Ordering by ID is ordering by creation time; within one
// millisecond the random part is incremented (ULID's monotonic mode), so IDs made by
// one process always sort in the order they were made. Cursor pagination and history
// order rely on it.
func NewID() string {
	ms := uint64(time.Now().UnixMilli())
	var b [16]byte
	idState.Lock()
	if ms <= idState.ms {
		ms = idState.ms
		for i := len(idState.rand) - 1; i >= 0; i-- {
			idState.rand[i]++
			if idState.rand[i] != 0 {
				break
			}
		}
	} else {
		idState.ms = ms
		if _, err := rand.Read(idState.rand[:]); err != nil {
			panic("models: crypto/rand failed: " + err.Error())
		}
		// Leave headroom so increments within the millisecond do not overflow.
		idState.rand[0] &= 0x7f
	}
	binary.BigEndian.PutUint64(b[:8], ms<<16)
	copy(b[6:], idState.rand[:])
	idState.Unlock()
	// 128 bits into 26 base32 digits: the first digit carries the top 3 bits.
	var out strings.Builder
	out.Grow(26)
	hi := binary.BigEndian.Uint64(b[:8])
	lo := binary.BigEndian.Uint64(b[8:])
	for i := 25; i >= 0; i-- {
		shift := uint(i * 5)
		var v uint64
		switch {
		case shift >= 64:
			v = hi >> (shift - 64)
		case shift > 59:
			v = lo>>shift | hi<<(64-shift)
		default:
			v = lo >> shift
		}
		out.WriteByte(crockford[v&31])
	}
	return out.String()
}
