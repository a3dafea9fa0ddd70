using System.Text.Json.Serialization;
using DualCache.WebApp.Cart;
using DualCache.WebApp.Catalog;

namespace DualCache.WebApp;

/// <summary>The JSON of everything the app keeps in memcached, generated at build time instead of found by reflection.</summary>
[JsonSerializable(typeof(IReadOnlyList<Product>))]
[JsonSerializable(typeof(ShoppingCart))]
internal sealed partial class WebAppJsonContext : JsonSerializerContext;
