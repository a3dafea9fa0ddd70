namespace DualCache.WebApp.Models;

public sealed record StatusViewModel(int StatusCode, string Title, string Explanation);
