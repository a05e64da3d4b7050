namespace Nlps.Api.Models;

/// <summary>
/// The body of <c>POST /v1/admin/models/import</c>: a Hugging Face folder on the appliance and, optionally, the id to
/// store it under (default: the folder's name). A PEFT adapter folder (adapter_config.json, no config.json), or any
/// folder sent with <paramref name="Base"/>, is imported as a LoRA adapter of that stored model under the name <paramref name="Id"/>.
/// </summary>
/// <param name="Path">An absolute folder path on the appliance.</param>
/// <param name="Id">The model id (or adapter name) to use.</param>
/// <param name="Base">For an adapter: the stored base model; default the one its adapter_config.json names.</param>
public sealed record ModelImportRequest(string? Path, string? Id, string? Base = null);
