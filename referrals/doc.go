// Package referrals holds the pure rules of referrals: which office and counsellor a new
// referral goes to (Route), how referrals move again when a counsellor leaves or a slot
// frees up (Reassign, NextQueued), and the referral state machine with its roles
// (Allowed, AllowedTargets, Transition).
//
// Nothing here touches a database or a clock: the caller loads offices, counsellors and
// referrals, passes the current time, and stores what comes back. That keeps every
// decision reproducible from its inputs and testable as a plain table.
package referrals
