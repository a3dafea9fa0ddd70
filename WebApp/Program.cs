var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
await builder.AddLocalMemcachedWhereMissingAsync();
builder.AddApplicationServices();

var app = builder.Build();

app.UseApplicationPipeline();
app.MapDefaultEndpoints();

app.Run();
