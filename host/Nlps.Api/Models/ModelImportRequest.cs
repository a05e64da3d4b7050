namespace Nlps.Api.Models;

/// <summary>The body of <c>POST /v1/admin/models/import</c>: a Hugging Face folder on the appliance and, optionally, the id to store it under (default: the folder's name).</summary>
/// <param name="Path">An absolute folder path on the appliance.</param>
/// <param name="Id">The model id to use.</param>
public sealed record ModelImportRequest(string? Path, string? Id);
