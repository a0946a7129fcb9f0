import { describe, expect, it } from 'vitest';
import { errorOf, useSandbox } from './sandbox-kit.js';

describe('Fortnox sandbox: customers and lists', () => {
  const kit = useSandbox();

  it('creates a customer with Fortnox\'s defaults, the next number and a Location header', async () => {
    const answer = await kit.fortnox.post('/3/customers', { Customer: { Name: 'Tryckfabriken i Ängelholm AB', CountryCode: 'se' } });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('location')).toBe('customers');
    expect(answer.json).toMatchObject({
      Customer: {
        '@url': `${kit.sandbox.url}/3/customers/7`,
        CustomerNumber: '7',
        Name: 'Tryckfabriken i Ängelholm AB',
        CountryCode: 'SE',
        Country: 'Sverige',
        Type: 'COMPANY',
        VATType: 'SEVAT',
        Currency: 'SEK',
        Active: true,
        TermsOfPayment: '',
        PriceList: 'A',
        Address1: null,
        Email: '',
        DefaultDeliveryTypes: { Invoice: 'PRINT', Order: 'PRINT', Offer: 'PRINT' },
      },
    });
  });

  it('writes JSON escaped as Fortnox does: \\u00e4 for ä and \\/ for /', async () => {
    const answer = await kit.fortnox.post('/3/customers', { Customer: { Name: 'Ängelholms Tryck', WWW: 'https://tryck.se' } });
    expect(answer.text).toContain('"Name":"\\u00c4ngelholms Tryck"');
    expect(answer.text).toContain('"WWW":"https:\\/\\/tryck.se"');
    expect(answer.headers.get('content-type')).toBe('application/json');
  });

  it('takes a customer number the client chooses and refuses one in use, or once used by a deleted customer', async () => {
    expect((await kit.fortnox.post('/3/customers', { Customer: { Name: 'A', CustomerNumber: 'K-100' } })).json).toMatchObject({ Customer: { CustomerNumber: 'K-100' } });
    const taken = await kit.fortnox.post('/3/customers', { Customer: { Name: 'B', CustomerNumber: 'K-100' } });
    expect(taken.status).toBe(400);
    expect(errorOf(taken)).toEqual({ error: 1, message: 'Kundnummer K-100 används redan.', code: 2000637 });
    expect((await kit.fortnox.delete('/3/customers/K-100')).status).toBe(204);
    const reused = await kit.fortnox.post('/3/customers', { Customer: { Name: 'C', CustomerNumber: 'K-100' } });
    expect(errorOf(reused)).toEqual({ error: 1, message: 'Kundnummer K-100 används redan. Kundnumret har redan använts men blivit raderat.', code: 2000637 });
  });

  it('never hands out a deleted customer\'s number again', async () => {
    expect((await kit.fortnox.post('/3/customers', { Customer: { Name: 'A' } })).json).toMatchObject({ Customer: { CustomerNumber: '7' } });
    await kit.fortnox.delete('/3/customers/7');
    expect((await kit.fortnox.post('/3/customers', { Customer: { Name: 'B' } })).json).toMatchObject({ Customer: { CustomerNumber: '8' } });
  });

  it('refuses a customer number with characters Fortnox does not allow', async () => {
    const answer = await kit.fortnox.post('/3/customers', { Customer: { Name: 'A', CustomerNumber: 'K 1' } });
    expect(errorOf(answer)).toEqual({ error: 1, message: 'Värdet måste vara alfanumeriskt (K 1)', code: 2000106 });
  });

  it('answers 404 with capitalised ErrorInformation keys for an unknown customer', async () => {
    const answer = await kit.fortnox.get('/3/customers/999');
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ ErrorInformation: { Error: 1, Message: 'Kan inte hitta kunden.', Code: 2000433 } });
    expect((await kit.fortnox.put('/3/customers/999', { Customer: { Name: 'x' } })).status).toBe(404);
    expect((await kit.fortnox.delete('/3/customers/999')).status).toBe(404);
  });

  it('updates only what a PUT sends: "" leaves a value, API_BLANK clears it, read-only Country is ignored', async () => {
    const answer = await kit.fortnox.put('/3/customers/1', { Customer: { City: 'Mölndal', Address1: '', Email: 'API_BLANK', Phone1: 'API_BLANK', Country: 'Norge' } });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ Customer: { City: 'Mölndal', Address1: 'Storgatan 12', Email: '', Phone1: null, Country: 'Sverige', Name: 'Åkessons Tryckeri AB' } });
    expect((await kit.fortnox.get('/3/customers/1')).json).toMatchObject({ Customer: { City: 'Mölndal' } });
  });

  it('refuses to renumber a customer and to use an unknown country or terms of payment', async () => {
    expect(errorOf(await kit.fortnox.put('/3/customers/1', { Customer: { CustomerNumber: '2' } })).code).toBe(2999137);
    expect(errorOf(await kit.fortnox.post('/3/customers', { Customer: { Name: 'A', CountryCode: 'XX' } }))).toEqual({ error: 1, message: 'Ogiltig landskod "XX" (CountryCode)', code: 2999136 });
    expect(errorOf(await kit.fortnox.post('/3/customers', { Customer: { Name: 'A', TermsOfPayment: '7' } }))).toEqual({ error: 1, message: 'Kan inte hitta betalningsvillkoret "7"', code: 2000429 });
  });

  describe('lists', () => {
    it('answers MetaInformation first and list items with "" where a single GET has null', async () => {
      const answer = await kit.fortnox.get('/3/customers');
      expect(answer.text.startsWith('{"MetaInformation":{"@TotalResources":6,"@TotalPages":1,"@CurrentPage":1},"Customers":[')).toBe(true);
      const item = (answer.json as { Customers: Record<string, unknown>[] }).Customers.find((customer) => customer.CustomerNumber === '5');
      expect(item).toEqual({
        '@url': `${kit.sandbox.url}/3/customers/5`,
        Address1: '',
        Address2: '',
        City: 'Örebro',
        CustomerNumber: '5',
        Email: '',
        Name: 'Ärlebäcks Skyltfabrik',
        OrganisationNumber: '556444-9090',
        Phone: '',
        ZipCode: '',
      });
      expect((await kit.fortnox.get('/3/customers/5')).json).toMatchObject({ Customer: { Address1: null, ZipCode: null } });
    });

    it('pages with limit, page and offset', async () => {
      const page = async (query: string) => (await kit.fortnox.get(`/3/customers?${query}`)).json as { MetaInformation: Record<string, number>; Customers: { CustomerNumber: string }[] };
      const second = await page('limit=4&page=2');
      expect(second.MetaInformation).toEqual({ '@TotalResources': 6, '@TotalPages': 2, '@CurrentPage': 2 });
      expect(second.Customers.map((customer) => customer.CustomerNumber)).toEqual(['5', '6']);
      expect((await page('limit=2&offset=3')).Customers.map((customer) => customer.CustomerNumber)).toEqual(['4', '5']);
      expect((await page('page=9')).Customers).toEqual([]);
    });

    it('answers an empty result with TotalPages 0 and CurrentPage 1', async () => {
      expect((await kit.fortnox.get('/3/customers?name=finns-inte')).json).toEqual({ MetaInformation: { '@TotalResources': 0, '@TotalPages': 0, '@CurrentPage': 1 }, Customers: [] });
    });

    it('refuses a limit over 500', async () => {
      const answer = await kit.fortnox.get('/3/customers?limit=501');
      expect(answer.status).toBe(400);
      expect(errorOf(answer)).toEqual({ error: 1, message: 'Ogiltig parameter i anropet (limit=501)', code: 2000588 });
      expect((await kit.fortnox.get('/3/customers?limit=500')).status).toBe(200);
    });

    it('searches as a case-insensitive substring, Swedish letters included', async () => {
      const names = async (query: string) => ((await kit.fortnox.get(`/3/customers?${query}`)).json as { Customers: { Name: string }[] }).Customers.map((customer) => customer.Name);
      expect(await names(`name=${encodeURIComponent('TRYCKERI')}`)).toEqual(['Åkessons Tryckeri AB']);
      expect(await names(`city=${encodeURIComponent('västerås')}`)).toEqual(['Bokbinderiet i Västerås AB']);
      expect(await names('organisationnumber=556')).toHaveLength(4);
    });

    it('filters on active and inactive and answers 2000587 for another filter', async () => {
      expect((await kit.fortnox.get('/3/customers?filter=inactive')).json).toMatchObject({ Customers: [{ CustomerNumber: '5' }] });
      expect((await kit.fortnox.get('/3/customers?filter=active')).json).toMatchObject({ MetaInformation: { '@TotalResources': 5 } });
      const refused = await kit.fortnox.get('/3/customers?filter=deleted');
      expect(refused.status).toBe(400);
      expect(refused.json).toEqual({ ErrorInformation: { error: 1, message: 'Ett ogiltigt filter har använts.', code: 2000587 } });
    });

    it('sorts by name, descending when asked', async () => {
      const answer = (await kit.fortnox.get('/3/customers?sortby=name&sortorder=descending&limit=2')).json as { Customers: { Name: string }[] };
      expect(answer.Customers.map((customer) => customer.Name)).toEqual(['Ölands Reklambyrå HB', 'Ärlebäcks Skyltfabrik']);
    });

    it('refuses an unknown query parameter with 2000588 but accepts the global ones and a trailing slash', async () => {
      expect(errorOf(await kit.fortnox.get('/3/customers?colour=blue'))).toEqual({ error: 1, message: 'Ogiltig parameter i anropet (colour)', code: 2000588 });
      expect((await kit.fortnox.get('/3/customers/?lastmodified=2020-01-01%2012:00&sortorder=ascending&financialyear=2')).status).toBe(200);
    });

    it('lists only what changed since lastmodified', async () => {
      const since = new Date(Date.now() + 1_000);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await kit.fortnox.put('/3/customers/3', { Customer: { City: 'Köping' } });
      const stamp = `${since.getFullYear()}-${String(since.getMonth() + 1).padStart(2, '0')}-${String(since.getDate()).padStart(2, '0')} ${String(since.getHours()).padStart(2, '0')}:${String(since.getMinutes()).padStart(2, '0')}:${String(since.getSeconds()).padStart(2, '0')}`;
      expect((await kit.fortnox.get(`/3/customers?lastmodified=${encodeURIComponent(stamp)}`)).json).toMatchObject({ Customers: [{ CustomerNumber: '3' }] });
    });
  });
});
