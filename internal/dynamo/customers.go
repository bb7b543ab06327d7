package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/resources"
)

// GetCustomer returns a customer, or contact.ErrNotFound.
func (s *Store) GetCustomer(ctx context.Context, id string) (contact.Customer, error) {
	item, err := s.getLive(ctx, resources.TableCustomers, id)
	if err != nil {
		return contact.Customer{}, fmt.Errorf("reading customer: %w", err)
	}
	if item == nil {
		return contact.Customer{}, contact.ErrNotFound
	}
	var c contact.Customer
	if err := s.unmarshal(item, &c); err != nil {
		return contact.Customer{}, fmt.Errorf("decoding customer: %w", err)
	}
	return c, nil
}

// PutCustomer stores a customer, replacing any earlier version.
func (s *Store) PutCustomer(ctx context.Context, c contact.Customer) error {
	item, err := s.marshal(c)
	if err != nil {
		return fmt.Errorf("encoding customer: %w", err)
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: s.table(resources.TableCustomers),
		Item:      item,
	})
	if err != nil {
		return fmt.Errorf("storing customer: %w", err)
	}
	return nil
}
