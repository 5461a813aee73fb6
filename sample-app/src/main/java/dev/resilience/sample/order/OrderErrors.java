package dev.resilience.sample.order;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * The application's own error mapping, next to the starter's (which maps the resilience rejections): a
 * downstream failure that no policy absorbed is a 502, a bad request a 400, a short stock a 409.
 */
@RestControllerAdvice
class OrderErrors {

    @ExceptionHandler(RestClientException.class)
    ProblemDetail downstreamFailed(RestClientException e) {
        String detail = e instanceof RestClientResponseException response
                ? "A downstream service answered " + response.getStatusCode().value()
                : "A downstream service could not be reached: " + e.getMessage();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, detail);
        problem.setTitle("Downstream failed");
        return problem;
    }

    @ExceptionHandler(InvalidQuantityException.class)
    ProblemDetail badRequest(InvalidQuantityException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(OutOfStockException.class)
    ProblemDetail outOfStock(OutOfStockException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }
}
