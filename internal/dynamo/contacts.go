package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/resources"
)

// GetContact returns a contact, or contact.ErrNotFound when there is none or
// its retention ended.
func (s *Store) GetContact(ctx context.Context, id string) (contact.Contact, error) {
	item, err := s.getLive(ctx, resources.TableContacts, id)
	if err != nil {
		return contact.Contact{}, fmt.Errorf("reading contact: %w", err)
	}
	if item == nil {
		return contact.Contact{}, contact.ErrNotFound
	}
	return s.decodeContact(item)
}

func (s *Store) decodeContact(
	item map[string]types.AttributeValue) (contact.Contact, error) {
	var c contact.Contact
	if err := s.unmarshal(item, &c); err != nil {
		return contact.Contact{}, fmt.Errorf("decoding contact: %w", err)
	}
	c.ExpiresAt, _ = expiresAt(item)
	return c, nil
}

// ContactsByEmailKey returns the contacts whose normalised email is key.
func (s *Store) ContactsByEmailKey(ctx context.Context,
	key string) ([]contact.Contact, error) {
	return s.contactsBy(ctx, resources.IndexContactsEmail, "emailKey", key)
}

// ContactsByPhoneKey returns the contacts whose normalised phone is key.
func (s *Store) ContactsByPhoneKey(ctx context.Context,
	key string) ([]contact.Contact, error) {
	return s.contactsBy(ctx, resources.IndexContactsPhone, "phoneKey", key)
}

// contactsBy reads every page of an index for one key, skipping expired
// contacts.
func (s *Store) contactsBy(ctx context.Context,
	index, attr, key string) ([]contact.Contact, error) {
	if key == "" {
		return nil, nil // no contact is indexed under an empty key
	}
	var cs []contact.Contact
	err := s.query(ctx, &dynamodb.QueryInput{
		TableName:                 s.table(resources.TableContacts),
		IndexName:                 aws.String(index),
		KeyConditionExpression:    aws.String(attr + " = :k"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":k": str(key)},
	}, func(item map[string]types.AttributeValue) error {
		if !s.live(item) {
			return nil
		}
		c, err := s.decodeContact(item)
		if err != nil {
			return err
		}
		cs = append(cs, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("querying contacts %s: %w", index, err)
	}
	return cs, nil
}

// PutContact stores a contact. It expires at its ExpiresAt or, when that is
// zero, ContactRetention after its last update.
func (s *Store) PutContact(ctx context.Context, c contact.Contact) error {
	item, err := s.marshal(c)
	if err != nil {
		return fmt.Errorf("encoding contact: %w", err)
	}
	exp := c.ExpiresAt
	if exp.IsZero() && s.opts.ContactRetention > 0 {
		base := c.UpdatedAt
		if base.IsZero() {
			base = s.now()
		}
		exp = base.Add(s.opts.ContactRetention)
	}
	if !exp.IsZero() {
		item[resources.TTLAttribute] = epoch(exp)
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: s.table(resources.TableContacts),
		Item:      item,
	})
	if err != nil {
		return fmt.Errorf("storing contact: %w", err)
	}
	return nil
}

// DeleteContact deletes a contact; deleting one that is gone is not an
// error.
func (s *Store) DeleteContact(ctx context.Context, id string) error {
	_, err := s.client.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName: s.table(resources.TableContacts),
		Key:       map[string]types.AttributeValue{"pk": str(id)},
	})
	if err != nil {
		return fmt.Errorf("deleting contact: %w", err)
	}
	return nil
}

// SetRestricted hides a contact from search and enrichment, or shows it
// again. It returns contact.ErrNotFound when there is no such contact, or
// its retention ended.
func (s *Store) SetRestricted(ctx context.Context, id string, restricted bool) error {
	in := &dynamodb.UpdateItemInput{
		TableName: s.table(resources.TableContacts),
		Key:       map[string]types.AttributeValue{"pk": str(id)},
		ConditionExpression: aws.String(
			"attribute_exists(pk) AND (attribute_not_exists(#exp) OR #exp > :now)"),
		ExpressionAttributeNames: map[string]string{"#exp": resources.TTLAttribute},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":now": epoch(s.now()),
		},
	}
	if restricted {
		in.UpdateExpression = aws.String("SET restricted = :t")
		in.ExpressionAttributeValues[":t"] = &types.AttributeValueMemberBOOL{Value: true}
	} else {
		in.UpdateExpression = aws.String("REMOVE restricted")
	}
	_, err := s.client.UpdateItem(ctx, in)
	if conditionFailed(err) {
		return contact.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("setting restriction: %w", err)
	}
	return nil
}
