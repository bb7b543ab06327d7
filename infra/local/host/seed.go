package host

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/immagnify/immagnify/internal/config"
	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/dynamo"
	"github.com/immagnify/immagnify/internal/matchkey"
	"github.com/immagnify/immagnify/internal/resources"
)

// DemoCustomers are the customers of the local stack; seeded contacts are
// disclosed to them so that access exports list recipients.
var DemoCustomers = []contact.Customer{
	{ID: "cus_demo_northwind", Name: "Northwind Traders (demo)", NoticeEmail: "dpo@northwind.example"},
	{ID: "cus_demo_globex", Name: "Globex Corporation (demo)", NoticeEmail: "privacy@globex.example"},
}

// Ingester builds the ingestion service from a function environment, as the
// seed command and the stack use it.
func Ingester(ctx context.Context, env map[string]string) (*contact.Ingester, *dynamo.Store, error) {
	clients, err := config.NewClients(ctx, lookup(env))
	if err != nil {
		return nil, nil, err
	}
	key, err := base64.StdEncoding.DecodeString(env[config.EnvSuppressionKey])
	if err != nil {
		return nil, nil, fmt.Errorf("suppression key: %w", err)
	}
	h, err := matchkey.NewHasher(key)
	if err != nil {
		return nil, nil, fmt.Errorf("suppression key: %w", err)
	}
	tables := map[string]string{}
	for _, t := range resources.Tables() {
		tables[t.Name] = env[resources.TableEnv(t.Name)]
	}
	store := dynamo.New(clients.DynamoDB, dynamo.Tables(tables), dynamo.Options{
		ContactRetention:    config.DefaultContactRetention,
		DisclosureRetention: config.DefaultDisclosureRetention,
	})
	return &contact.Ingester{Store: store, Suppressions: store, Hasher: h}, store, nil
}

// Load ingests candidates, counting outcomes. A candidate that cannot be
// stored is counted as rejected; only a failure of the stand-ins stops it.
func Load(ctx context.Context, in *contact.Ingester, cs []contact.Candidate) (contact.Summary, error) {
	var sum contact.Summary
	for _, c := range cs {
		o, err := in.Ingest(ctx, c)
		if err != nil && !errors.Is(err, contact.ErrRejected) {
			return sum, fmt.Errorf("ingesting contact %d: %w", sum.Read+1, err)
		}
		sum.Add(o)
	}
	return sum, nil
}

// Seed loads contacts into the stack, adds the demo customers, and discloses
// every other new contact to one of them, so exports show recipients.
func (s *Stack) Seed(ctx context.Context, cs []contact.Candidate) (contact.Summary, error) {
	in, store, err := Ingester(ctx, s.Env)
	if err != nil {
		return contact.Summary{}, err
	}
	for _, c := range DemoCustomers {
		if err := store.PutCustomer(ctx, c); err != nil {
			return contact.Summary{}, fmt.Errorf("adding demo customer: %w", err)
		}
	}
	sum, err := Load(ctx, in, cs)
	if err != nil {
		return sum, err
	}

	// Disclose some contacts, found again by their email key.
	var ds []contact.Disclosure
	for i, c := range cs {
		if i%2 == 1 || c.Email == "" {
			continue
		}
		key, err := matchkey.Email(c.Email)
		if err != nil {
			continue
		}
		found, err := store.ContactsByEmailKey(ctx, key)
		if err != nil {
			return sum, fmt.Errorf("finding seeded contact: %w", err)
		}
		for _, f := range found {
			ds = append(ds, contact.Disclosure{
				ContactID: f.ID, CustomerID: DemoCustomers[i/2%len(DemoCustomers)].ID,
				DisclosedAt: time.Now().UTC().Add(-time.Duration(i+1) * time.Hour),
				Fields:      []contact.Field{contact.FirstName, contact.LastName, contact.Email, contact.Title},
				Channel:     "search",
			})
		}
	}
	if err := store.RecordDisclosures(ctx, ds); err != nil {
		return sum, fmt.Errorf("recording demo disclosures: %w", err)
	}
	return sum, nil
}

// WriteState saves what another process needs to reach the running stack
// (endpoints and the function environment, keys included) to path, readable
// by the owner only. The stack removes it when it stops.
func (s *Stack) WriteState(path string) error {
	b, err := json.MarshalIndent(s.Env, "", "  ")
	if err != nil {
		return err
	}
	// A new file renamed into place: never one planted there before.
	f, err := os.CreateTemp(filepath.Dir(path), ".stack-*.json")
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}

// ReadState reads what WriteState saved.
func ReadState(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no running local stack found (%s is missing): start one with make run", path)
	}
	if err != nil {
		return nil, err
	}
	env := map[string]string{}
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return env, nil
}
