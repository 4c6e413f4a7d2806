package dev.ixws.http.internal;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.http.HttpErrorCode;
import dev.ixws.http.HttpResponse;

/** Makes the public response from what a request produced, handing over {@code body} uncopied. */
@FunctionalInterface
public interface ResponseFactory {
  /** The response; {@code body} now belongs to it. */
  HttpResponse create(
      int statusCode,
      String description,
      HttpErrorCode errorCode,
      WebSocketHttpHeaders headers,
      byte[] body,
      String errorMsg,
      long uploadSize,
      long downloadSize);
}
